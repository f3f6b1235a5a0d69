from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from imports.models import ImportRecord
from imports.records import import_record_delete


class Command(BaseCommand):
    help = (
        "Delete import previews never applied (and their stored files) older than TIEJU_IMPORT_PREVIEW_DAYS "
        "days; applied imports are kept as the record of what changed the data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override TIEJU_IMPORT_PREVIEW_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted; delete nothing")

    def handle(self, *args, days, dry_run, **options):
        days = settings.TIEJU_IMPORT_PREVIEW_DAYS if days is None else days
        stale = ImportRecord.objects.stale_previews(before=timezone.now() - timedelta(days=days))
        count = 0
        for record in stale.iterator():
            if not dry_run:
                import_record_delete(record)
            count += 1
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {count} import previews older than {days} days."))
