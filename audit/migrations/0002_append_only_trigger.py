"""On PostgreSQL the database itself keeps the trail append-only.

UPDATE is always refused. DELETE is refused unless the transaction has set
`tieju.audit_prune = 'on'` (only `manage.py audit_prune` does), and even then for any event
younger than 180 days, the six months 网络安全法 Article 21 asks logs to be kept.
SQLite has no such trigger (the app never updates or deletes; see AuditEventQuerySet).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_auditevent is append-only: UPDATE refused';
    END IF;
    IF coalesce(current_setting('tieju.audit_prune', true), '') <> 'on' THEN
        RAISE EXCEPTION 'audit_auditevent is append-only: DELETE refused (use manage.py audit_prune)';
    END IF;
    IF OLD.created_at > now() - interval '180 days' THEN
        RAISE EXCEPTION USING MESSAGE = 'audit_auditevent: event ' || OLD.id || ' is within the 180-day retention';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
