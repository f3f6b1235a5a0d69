from django.core.management.base import BaseCommand, CommandError

from audit.trail import chain_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain from its start (or the last prune) to its newest event. "
        "Exit 0 when intact, printing the count and the newest hash (keep it elsewhere to detect a cut "
        "tail later); exit 1 naming the first broken link."
    )

    def handle(self, *args, **options):
        verdict = chain_verify()
        if not verdict.ok:
            raise CommandError(
                f"Audit trail broken after {verdict.checked} intact events: {verdict.message}", returncode=1
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit trail intact: {verdict.checked} events; newest hash {verdict.head}")
        )
