"""Sending notices once, recording every attempt, retrying failures with back-off.

The public entry points:

    notify(event_key, department, subject, body, *, emails=())
        records one Delivery per recipient — each active robot channel of `department`, each address in
        `emails` — and sends those not yet sent. Calling it again with the same event_key sends nothing
        already sent (the rows are unique per event and recipient), so a command may run twice a day.
        Use a key that names the occasion, e.g. "reminders:2026-12-02" or "notice:督办〔2026〕第12号:issued".

    deliveries_retry()
        sends every failed delivery whose back-off has passed, and takes back any left 发送中 by a run that
        died (after TIEJU_NOTIFY_STUCK_MINUTES); the reminders and notices commands call it first, so no
        daemon is needed.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from notify import robots
from notify.models import Channel, Delivery, claimable, retry_delay

log = logging.getLogger(__name__)


def notify(event_key, department, subject, body, *, emails=(), only=None, attachment=None):
    """Record and send the message to the department's robot channels and the given addresses; return the rows.

    `only` narrows the channels to the given ones (an administrator's test message to one channel).
    `attachment` is (file name, bytes, MIME type) for the e-mails; robots get the text only.
    """
    deliveries = deliveries_plan(event_key, department, subject, body, emails=emails, only=only, attachment=attachment)
    for delivery in deliveries:
        if delivery.state == Delivery.State.PENDING:
            delivery_attempt(delivery)
    return deliveries


def deliveries_plan(event_key, department, subject, body, *, emails=(), only=None, attachment=None):
    """The Delivery rows for this event, created where missing; existing rows are returned untouched."""
    wanted = []
    if department is not None:
        channels = Channel.objects.filter(department=department, is_active=True).order_by("pk")
        if only is not None:
            channels = channels.filter(pk__in=[c.pk for c in only])
        for channel in channels:
            wanted.append(dict(medium=channel.kind, channel=channel, recipient=channel.name[:254]))
    for address in dict.fromkeys(a for a in emails if a):
        wanted.append(dict(medium=Delivery.Medium.EMAIL, channel=None, recipient=address[:254]))
    rows = []
    for fields in wanted:
        lookup = {"event_key": event_key, "medium": fields["medium"]}
        lookup.update(
            {"channel": fields["channel"]}
            if fields["channel"]
            else {"recipient": fields["recipient"], "channel__isnull": True}
        )
        defaults = {
            "recipient": fields["recipient"],
            "department": department,
            "subject": subject[:200],
            "body": body,
            "channel": fields["channel"],
        }
        if attachment and fields["channel"] is None:
            name, content, mime = attachment
            defaults.update(attachment_name=name[:200], attachment=content, attachment_type=mime)
        rows.append(_get_or_create(lookup, defaults))
    return rows


def _get_or_create(lookup, defaults):
    try:
        with transaction.atomic():
            delivery, _created = Delivery.objects.get_or_create(**lookup, defaults=defaults)
    except IntegrityError:
        # Another run created it between our read and our insert: the constraint kept it single.
        delivery = Delivery.objects.get(**lookup)
    return delivery


def deliveries_retry(*, now=None):
    """Attempt every delivery that is due (failed and past its back-off, never tried, or stuck); return them."""
    now = now or timezone.now()
    due = list(Delivery.objects.due(now=now).select_related("channel").order_by("created_at", "pk"))
    for delivery in due:
        delivery_attempt(delivery, now=now)
    return due


def delivery_attempt(delivery, *, now=None):
    """Claim the row (so no concurrent run sends it too), send it, and record the outcome on the row.

    A row another run is sending is left alone; one left 发送中 longer than TIEJU_NOTIFY_STUCK_MINUTES (its run
    died) is claimed again — by one run only, as the claim is one compare-and-swap UPDATE.
    """
    now = now or timezone.now()
    claimed = Delivery.objects.filter(claimable(now=now), pk=delivery.pk).update(
        state=Delivery.State.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        delivery.refresh_from_db()
        return delivery
    delivery.refresh_from_db()
    if delivery.channel_id and not delivery.channel.is_active:
        outcome = robots.Outcome(False, "channel switched off")
    elif delivery.medium == Delivery.Medium.EMAIL:
        outcome = _send_email(delivery)
    else:
        outcome = robots.post(delivery.channel, delivery.subject, delivery.body)
    delivery.answer = outcome.answer
    if outcome.ok:
        delivery.state, delivery.sent_at, delivery.next_attempt_at = Delivery.State.SENT, timezone.now(), None
    elif delivery.attempts >= settings.TIEJU_NOTIFY_MAX_ATTEMPTS:
        delivery.state, delivery.next_attempt_at = Delivery.State.GAVE_UP, None
        log.warning(
            "notification %s to %s given up after %d attempts: %s",
            delivery.event_key,
            delivery.recipient,
            delivery.attempts,
            outcome.answer,
        )
    else:
        delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, now + retry_delay(delivery.attempts)
    delivery.save(update_fields=["state", "sent_at", "next_attempt_at", "answer"])
    return delivery


def _send_email(delivery):
    message = EmailMessage(delivery.subject, delivery.body, None, [delivery.recipient])
    if delivery.attachment_name:
        message.attach(delivery.attachment_name, bytes(delivery.attachment), delivery.attachment_type)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        return robots.Outcome(False, f"{type(error).__name__}: {error}"[: robots.ANSWER_MAX_CHARS])
    return robots.Outcome(True, "accepted by the mail server")


def deliveries_requeue(queryset):
    """An administrator's "send again": failed, given-up and stuck rows become due on the next command run,
    with their attempts counted afresh."""
    return queryset.needing_attention().update(state=Delivery.State.FAILED, next_attempt_at=timezone.now(), attempts=0)
