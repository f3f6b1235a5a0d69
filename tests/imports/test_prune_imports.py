from datetime import timedelta
from io import StringIO

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from imports.models import ImportRecord
from imports.records import import_record_create


def _record(days_ago, *, applied=False):
    record = import_record_create(kind="breakdown", data=f"{days_ago},{applied}".encode(), filename="t.csv")
    created = timezone.now() - timedelta(days=days_ago)
    ImportRecord.objects.filter(pk=record.pk).update(created_at=created, applied_at=created if applied else None)
    return record


def _prune(*args):
    out = StringIO()
    call_command("prune_imports", *args, stdout=out)
    return out.getvalue()


def test_it_removes_previews_never_applied_after_the_set_days_with_their_files(db, settings):
    settings.TIEJU_IMPORT_PREVIEW_DAYS = 7
    stale, fresh, applied = _record(8), _record(6), _record(30, applied=True)
    assert "Deleted 1 import previews older than 7 days." in _prune()
    assert set(ImportRecord.objects.values_list("pk", flat=True)) == {fresh.pk, applied.pk}
    assert not default_storage.exists(stale.file.name) and default_storage.exists(fresh.file.name)


def test_it_only_counts_on_a_dry_run_and_takes_days(db):
    _record(3)
    assert "Would delete 1 import previews older than 2 days." in _prune("--dry-run", "--days", "2")
    assert ImportRecord.objects.count() == 1
