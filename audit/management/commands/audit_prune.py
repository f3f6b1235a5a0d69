from datetime import date

from django.core.management.base import BaseCommand, CommandError

from audit.trail import chain_prune, earliest_prunable_date, retention_days


class Command(BaseCommand):
    help = (
        "Delete audit events recorded before DATE (YYYY-MM-DD), which must lie outside the retention "
        "(TIEJU_AUDIT_RETENTION_DAYS, at least 180 days). The prune is itself recorded, with the hash "
        "the remaining chain starts from, so audit_verify still checks what is left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="delete events before this date (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args, **options):
        try:
            before = date.fromisoformat(options["before"])
        except ValueError:
            raise CommandError(f"--before {options['before']!r} is not a date (YYYY-MM-DD).") from None
        if before > earliest_prunable_date():
            raise CommandError(
                f"--before {before.isoformat()} is within the retention of {retention_days()} days: "
                f"the latest date allowed today is {earliest_prunable_date().isoformat()}."
            )
        count = chain_prune(before=before, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"Would delete {count} audit events recorded before {before.isoformat()}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {count} audit events recorded before {before.isoformat()}."))
