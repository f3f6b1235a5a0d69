"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit events."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import Action, AuditEvent
from audit.trail import record

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def _raw(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_it_refuses_an_update(water_staff):
    event = record(water_staff, Action.EXPORT, "x")
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"):
        _raw("UPDATE audit_auditevent SET actor_name = 'leader' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "water"


def test_it_refuses_a_delete_outside_the_prune(water_staff):
    event = record(water_staff, Action.EXPORT, "x")
    with pytest.raises(DatabaseError, match="DELETE refused"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_deleting_a_recent_event_even_with_the_prune_flag(water_staff):
    event = record(water_staff, Action.EXPORT, "x")
    with pytest.raises(DatabaseError, match="within the 180-day retention"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL tieju.audit_prune = 'on'")
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_a_truncate_outside_the_test_database(water_staff):
    event = record(water_staff, Action.EXPORT, "x")
    # The test suite's flush runs with tieju.audit_flush on (tests/conftest.py); any other database has it off.
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL tieju.audit_flush = 'off'")
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_only_the_test_database_allows_the_flush(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.datname, s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
        )
        allowed = {name for name, config in cursor.fetchall() if "tieju.audit_flush=on" in config}
    # This run's test database, and test databases of other runs on the same server; never another one.
    assert connection.settings_dict["NAME"] in allowed
    assert all(name.startswith("test_") for name in allowed)
