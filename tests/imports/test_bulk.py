"""imports.bulk.insert_rows, the one writer that goes around bulk_create (COPY on psycopg2, executemany else)."""

from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.bulk import insert_rows
from tasks.models import JournalEntry, Requirement


def test_it_writes_every_value_as_given_in_one_statement(sample_table):
    requirement = Requirement.objects.get(number=1)
    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    notes = ["反斜杠 \\ 与制表\t符", "换行\n与回车\r", "百分号 100% 与 'quotes'"]
    rows = [(requirement.pk, JournalEntry.Kind.IMPORT, None, at, "", "", None, None, note) for note in notes]
    fields = ["requirement", "kind", "author", "created_at", "status_before", "status_after"]
    fields += ["progress_before", "progress_after", "note"]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(JournalEntry, fields, rows)
    # One statement: COPY on psycopg2, one executemany (logged as "3 times: INSERT …") elsewhere.
    (statement,) = [q["sql"] for q in queries]
    assert statement.startswith("COPY") or "INSERT INTO" in statement
    stored = JournalEntry.objects.filter(requirement=requirement, created_at=at).order_by("pk")
    assert [(e.note, e.author, e.progress_after, e.kind) for e in stored] == [
        (note, None, None, JournalEntry.Kind.IMPORT) for note in notes
    ]
