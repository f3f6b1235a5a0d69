"""manage.py audit_prune: only outside the retention, recorded, and the rest still verifies."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit import trail
from audit.models import Action, AuditEvent
from audit.trail import record

NOW = timezone.now()


def _at(monkeypatch, when, user, n):
    monkeypatch.setattr(trail.timezone, "now", lambda: when)
    events = [record(user, Action.EXPORT, f"file {i}") for i in range(n)]
    monkeypatch.undo()
    return events


def _run(*args):
    out = StringIO()
    call_command("audit_prune", *args, stdout=out)
    return out.getvalue()


def _verify():
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_it_refuses_a_date_within_the_retention(water_staff):
    record(water_staff, Action.EXPORT, "x")
    too_recent = timezone.localdate() - timedelta(days=179)
    with pytest.raises(CommandError, match="within the retention of 180 days"):
        _run("--before", too_recent.isoformat())
    assert AuditEvent.objects.count() == 1


def test_it_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="is not a date"):
        _run("--before", "2026-13-01")


def test_it_deletes_only_old_events_records_the_prune_and_the_chain_still_verifies(monkeypatch, water_staff):
    old = _at(monkeypatch, NOW - timedelta(days=400), water_staff, 3)
    recent = _at(monkeypatch, NOW - timedelta(days=10), water_staff, 2)
    before = (timezone.localdate() - timedelta(days=200)).isoformat()
    assert "Would delete 3 audit events" in _run("--before", before, "--dry-run")
    assert AuditEvent.objects.count() == 5
    assert "Deleted 3 audit events" in _run("--before", before)
    remaining = list(AuditEvent.objects.order_by("pk"))
    assert [e.pk for e in remaining[:2]] == [e.pk for e in recent]
    prune = remaining[-1]
    assert prune.action == "audit.prune" and prune.actor_name == "manage.py"
    assert prune.detail_data == {"before": before, "deleted": 3, "chain_starts_from": old[-1].hash}
    assert prune.prev_hash == recent[-1].hash
    assert "Audit trail intact: 3 events" in _verify()


def test_it_can_prune_everything_old_and_the_chain_continues(monkeypatch, water_staff):
    old = _at(monkeypatch, NOW - timedelta(days=400), water_staff, 2)
    _run("--before", (timezone.localdate() - timedelta(days=200)).isoformat())
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["audit.prune"]
    assert AuditEvent.objects.get().prev_hash == old[-1].hash
    record(water_staff, Action.EXPORT, "after")
    assert "Audit trail intact: 2 events" in _verify()


def test_removing_the_prune_record_is_detected(monkeypatch, water_staff):
    from tests.audit.test_trail import _sql

    _at(monkeypatch, NOW - timedelta(days=400), water_staff, 2)
    recent = _at(monkeypatch, NOW - timedelta(days=10), water_staff, 1)
    _run("--before", (timezone.localdate() - timedelta(days=200)).isoformat())
    _sql("DELETE FROM audit_auditevent WHERE action = 'audit.prune'")
    with pytest.raises(CommandError, match=rf"record #{recent[0].pk} does not start the chain"):
        _verify()
