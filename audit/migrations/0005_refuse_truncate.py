"""On PostgreSQL the database also refuses TRUNCATE of the audit trail (a statement-level trigger).

Django's test runner empties tables between transactional tests with TRUNCATE; the test suite sets
`tieju.audit_flush = 'on'` on its own throwaway database (tests/conftest.py), and the trigger lets a
TRUNCATE through only under that setting. Nothing in tieju sets it on any other database.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('tieju.audit_flush', true), '') <> 'on' THEN
        RAISE EXCEPTION 'audit_auditevent is append-only: TRUNCATE refused (use manage.py audit_prune)';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_more_audited_actions")]
    operations = [migrations.RunPython(forwards, backwards)]
