"""record() and the hash chain: audit_verify finds an edited, a deleted and an inserted record."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import GENESIS, Action, AppendOnly, AuditEvent, Outcome, event_hash
from audit.trail import record


def _three(user):
    a = record(user, Action.EXPORT, "dashboard", {"file": "a.xlsx"}, ip="203.0.113.7")
    b = record(user, Action.IMPORT_APPLY, user, {"counts": {"created": 3}})
    c = record("nobody", Action.LOGIN_FAILED, "nobody", outcome=Outcome.FAILURE)
    return a, b, c


def _verify():
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _sql(statement, params=()):
    """Tampering as someone with database access would, past the app and (on PostgreSQL) the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def test_it_records_who_what_where_and_the_outcome(water_staff):
    a, b, c = _three(water_staff)
    a.refresh_from_db()
    assert (a.actor_id, a.actor_name, a.ip_address, a.action, a.outcome) == (
        water_staff.pk,
        "water",
        "203.0.113.7",
        "data.export",
        "success",
    )
    assert a.detail == '{"file":"a.xlsx"}' and a.object_repr == "dashboard"
    assert (b.object_type, b.object_id) == ("teams.user", str(water_staff.pk))
    assert (c.actor_id, c.actor_name, c.outcome) == (None, "nobody", "failure")
    assert a.prev_hash == GENESIS and b.prev_hash == a.hash and c.prev_hash == b.hash


def test_it_chains_each_record_to_the_one_before(water_staff):
    a, b, c = _three(water_staff)
    stored = AuditEvent.objects.get(pk=b.pk)
    assert stored.hash == event_hash(a.hash, stored.hashed_fields()) == stored.compute_hash()
    assert "Audit trail intact: 3 events" in _verify()


def test_the_app_never_updates_or_deletes_a_record(water_staff):
    a, _b, _c = _three(water_staff)
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=a.pk).update(outcome="failure")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    a.outcome = "failure"
    with pytest.raises(AppendOnly):
        a.save()
    with pytest.raises(AppendOnly):
        a.delete()
    assert AuditEvent.objects.count() == 3


def test_verify_names_an_edited_record(water_staff):
    a, b, c = _three(water_staff)
    _sql("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["leader", b.pk])
    with pytest.raises(CommandError, match=rf"record #{b.pk} was altered") as error:
        _verify()
    assert error.value.returncode == 1


def test_verify_names_the_gap_of_a_deleted_record(water_staff):
    a, b, c = _three(water_staff)
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [b.pk])
    with pytest.raises(CommandError, match=rf"link broken between #{a.pk} and #{c.pk}"):
        _verify()


def test_verify_names_a_deleted_first_record(water_staff):
    a, b, c = _three(water_staff)
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [a.pk])
    with pytest.raises(CommandError, match=rf"record #{b.pk} does not start the chain"):
        _verify()


def test_verify_names_an_inserted_record(water_staff):
    a, b, c = _three(water_staff)
    # A forged event slipped in after b, hashed as the app would but without the key: c no longer follows.
    columns = [field.column for field in AuditEvent._meta.concrete_fields]
    values = [c.pk + 100, b.created_at, None, "water", "", "auth.login", "success", "", "", "", "", "f" * 64, "e" * 64]
    _sql(f"INSERT INTO audit_auditevent ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", values)
    with pytest.raises(CommandError, match=rf"link broken between #{c.pk} and #{c.pk + 100}"):
        _verify()


def test_verify_catches_a_record_rehashed_without_the_key(water_staff, settings):
    a, b, c = _three(water_staff)
    settings.TIEJU_AUDIT_KEY = "someone-elses-key"
    forged = AuditEvent.objects.get(pk=c.pk)
    forged.actor_name = "leader"
    new_hash = forged.compute_hash()
    settings.TIEJU_AUDIT_KEY = ""
    _sql("UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE id = %s", ["leader", new_hash, c.pk])
    with pytest.raises(CommandError, match=rf"record #{c.pk} was altered"):
        _verify()
