"""Writing and checking the audit trail. `record()` is the public entry point."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from audit.context import current_request
from audit.models import GENESIS, Action, AuditEvent, Outcome
from tieju.clientip import client_ip

# Any constant will do: it names the one advisory lock that serialises appends on PostgreSQL.
_LOCK_KEY = 0x7469656A75  # "tieju"


def _actor(actor, request):
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is None:
        return None, ""
    if isinstance(actor, str):  # a user name typed at the login form, who may not exist
        return None, actor[:150]
    if not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, actor.get_username()


def _object(obj):
    if obj is None:
        return "", "", ""
    if isinstance(obj, str):
        return "", "", obj[:200]
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:200]


def _detail(detail):
    if detail is None or detail == {}:
        return ""
    if isinstance(detail, str):
        detail = {"text": detail}
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def record(actor, action, obj=None, detail=None, *, outcome=Outcome.SUCCESS, request=None, ip=None):
    """Append one event to the audit trail and return it.

    actor: the user who acted, a user name (a failed login), or None for the request's user.
    action: an `audit.models.Action` (e.g. Action.IMPORT_APPLY).
    obj: the model instance acted on, or a short text naming it.
    detail: a dict (stored as canonical JSON) or a text.
    The client's address is read from `request`, else from the request being served
    (AuditContextMiddleware), as the reverse proxy reports it (tieju.clientip).
    Runs in the caller's transaction: if the action rolls back, so does its record.
    """
    request = request if request is not None else current_request()
    if ip is None:
        ip = client_ip(request) if request is not None else ""
    actor_id, actor_name = _actor(actor, request)
    object_type, object_id, object_repr = _object(obj)
    event = AuditEvent(
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_name=actor_name,
        ip_address=ip or "",
        action=str(action),
        outcome=str(outcome),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        detail=_detail(detail),
    )
    return _append(event)


def _append(event, *, prev=None):
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        if prev is None:
            prev = AuditEvent.objects.using(using).order_by("-pk").values_list("hash", flat=True).first()
        event.prev_hash = prev or GENESIS
        event.hash = event.compute_hash()
        event.save(using=using)
    return event


@dataclass
class Verdict:
    ok: bool
    checked: int
    head: str
    broken_at: int | None = None
    message: str = ""


def chain_start():
    """The hash the stored chain must start from: GENESIS, or what the latest prune kept."""
    prune = AuditEvent.objects.filter(action=Action.AUDIT_PRUNE).order_by("-pk").first()
    if prune is None:
        return GENESIS
    return prune.detail_data.get("chain_starts_from", GENESIS)


def chain_verify():
    """Walk the trail in order; stop at the first event that does not follow from the one before."""
    expected = chain_start()
    checked = 0
    previous_pk = None
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != expected:
            if previous_pk is None:
                message = f"record #{event.pk} does not start the chain: records before it were removed"
            else:
                message = (
                    f"link broken between #{previous_pk} and #{event.pk}: a record was removed or inserted between them"
                )
            return Verdict(False, checked, expected, event.pk, message)
        if event.compute_hash() != event.hash:
            return Verdict(False, checked, expected, event.pk, f"record #{event.pk} was altered (hash does not match)")
        expected = event.hash
        previous_pk = event.pk
        checked += 1
    return Verdict(True, checked, expected)


def retention_days():
    return settings.TIEJU_AUDIT_RETENTION_DAYS


def earliest_prunable_date(*, today=None):
    """Events strictly before this date may be pruned; anything later is within retention."""
    today = today or timezone.localdate()
    return today - timedelta(days=retention_days())


def chain_prune(*, before, actor=None, dry_run=False):
    """Delete the events before `before` (a date outside the retention) and record the prune.

    Returns the number of events removed (or that would be, with dry_run).
    """
    if before > earliest_prunable_date():
        raise ValueError(
            f"{before.isoformat()} is within the retention of {retention_days()} days; "
            f"the latest date allowed is {earliest_prunable_date().isoformat()}"
        )
    from datetime import datetime, time

    cutoff = timezone.make_aware(datetime.combine(before, time.min))
    doomed = AuditEvent.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return doomed.count()
    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        head = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first() or GENESIS
        last_doomed = doomed.order_by("-pk").values_list("pk", flat=True).first()
        if last_doomed is None:
            count, starts_from = 0, chain_start()
        else:
            first_kept = AuditEvent.objects.filter(pk__gt=last_doomed).order_by("pk").first()
            starts_from = first_kept.prev_hash if first_kept else head
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # The trigger lets a DELETE through only with this flag set in this transaction.
                    cursor.execute("SET LOCAL tieju.audit_prune = 'on'")
                table = connection.ops.quote_name(AuditEvent._meta.db_table)
                cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last_doomed])
                count = cursor.rowcount
        event = AuditEvent(
            created_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_name=actor.get_username() if actor is not None else "manage.py",
            action=Action.AUDIT_PRUNE,
            outcome=Outcome.SUCCESS,
            object_repr="audit trail",
            detail=_detail({"before": before.isoformat(), "deleted": count, "chain_starts_from": starts_from}),
        )
        _append(event, prev=head)
    return count
