"""Once per event and recipient, every attempt recorded, failures retried with back-off, then given up."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from notify.delivery import deliveries_retry, notify
from notify.models import Channel, Delivery


def test_it_sends_an_event_to_a_channel_once(receiver, wecom, water):
    notify("reminders:2026-06-20", water, "催办", "正文")
    again = notify("reminders:2026-06-20", water, "催办（改）", "正文（改）")
    assert len(receiver.received) == 1
    assert Delivery.objects.count() == 1 and again[0].subject == "催办" and again[0].state == "sent"


def test_it_sends_a_new_event_again(receiver, wecom, water):
    notify("reminders:2026-06-20", water, "催办", "正文")
    notify("reminders:2026-06-21", water, "催办", "正文")
    assert len(receiver.received) == 2


def test_it_mails_each_address_once_per_event(reference):
    notify(
        "notice:1", None, "督办单", "请于5日内反馈", emails=["a@example.gov.cn", "a@example.gov.cn", "b@example.gov.cn"]
    )
    notify("notice:1", None, "督办单", "请于5日内反馈", emails=["a@example.gov.cn"])
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.gov.cn", "b@example.gov.cn"]
    assert mail.outbox[0].subject == "督办单" and mail.outbox[0].body == "请于5日内反馈"
    assert set(Delivery.objects.values_list("medium", "recipient", "state")) == {
        ("email", "a@example.gov.cn", "sent"),
        ("email", "b@example.gov.cn", "sent"),
    }


def test_it_refuses_a_second_row_for_the_same_event_and_recipient_in_the_database(wecom, water):
    Delivery.objects.create(event_key="e", medium="wecom", channel=wecom, recipient="x", subject="s", body="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(event_key="e", medium="wecom", channel=wecom, recipient="y", subject="s", body="b")
    Delivery.objects.create(event_key="e", medium="email", recipient="a@example.gov.cn", subject="s", body="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(event_key="e", medium="email", recipient="a@example.gov.cn", subject="s", body="b")


def test_it_skips_switched_off_channels_and_other_departments(receiver, wecom, water, reference):
    from teams.models import Department

    air = Department.objects.get(name="大气环境处")
    Channel.objects.create(department=air, kind="wecom", name="大气群", url=f"{receiver.url}/air")
    Channel.objects.create(department=water, kind="wecom", name="停用群", url=f"{receiver.url}/off", is_active=False)
    notify("e", water, "催办", "正文")
    assert [r["path"] for r in receiver.received] == ["/cgi-bin/webhook/send"]


def test_it_retries_a_failure_after_its_back_off(receiver, wecom, water):
    receiver.answers = [(500, b"busy"), (200, {"errcode": 0, "errmsg": "ok"})]
    start = timezone.now()
    [delivery] = notify("e", water, "催办", "正文")
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    # TIEJU_NOTIFY_RETRY_MINUTES is 10: the first retry is due 10 minutes after the failed attempt.
    assert start + timedelta(minutes=10) <= delivery.next_attempt_at <= timezone.now() + timedelta(minutes=10)

    assert deliveries_retry(now=delivery.next_attempt_at - timedelta(seconds=1)) == []
    assert len(receiver.received) == 1

    deliveries_retry(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("sent", 2, None)
    assert len(receiver.received) == 2 and receiver.received[0]["body"] == receiver.received[1]["body"]


@override_settings(TIEJU_NOTIFY_MAX_ATTEMPTS=3)
def test_it_doubles_the_wait_and_gives_up_after_the_last_attempt(receiver, wecom, water):
    receiver.answers = [(500, b"down")]
    [delivery] = notify("e", water, "催办", "正文")
    waits = []
    for _ in range(3):
        delivery.refresh_from_db()
        if delivery.state != "failed":
            break
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        deliveries_retry(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert waits == [timedelta(minutes=10), timedelta(minutes=20)]
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("gave_up", 3, None)
    assert len(receiver.received) == 3
    assert deliveries_retry(now=timezone.now() + timedelta(days=30)) == []


@override_settings(EMAIL_BACKEND="tests.notify.failing_mail.EmailBackend")
def test_it_records_a_mail_server_failure_for_a_retry(reference):
    [delivery] = notify("e", None, "催办", "正文", emails=["a@example.gov.cn"])
    delivery.refresh_from_db()
    assert delivery.state == "failed" and "SMTPServerDisconnected" in delivery.answer


def test_it_does_not_send_a_row_another_run_is_sending(receiver, wecom, water):
    Delivery.objects.create(
        event_key="e",
        medium="wecom",
        channel=wecom,
        recipient="水处工作群",
        subject="s",
        body="b",
        state="sending",
        attempts=1,
        last_attempt_at=timezone.now(),
    )
    notify("e", water, "催办", "正文")
    deliveries_retry()
    assert receiver.received == []


def test_it_lets_only_one_of_two_stale_copies_claim_a_row(receiver, wecom, water):
    from notify.delivery import delivery_attempt

    row = Delivery.objects.create(
        event_key="e", medium="wecom", channel=wecom, recipient="水处工作群", subject="催办", body="正文"
    )
    first, second = Delivery.objects.get(pk=row.pk), Delivery.objects.get(pk=row.pk)  # two runs read it pending
    delivery_attempt(first)
    delivery_attempt(second)
    assert len(receiver.received) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1)


def _stuck(channel, minutes_ago):
    return Delivery.objects.create(
        event_key="reminders:2026-06-20",
        medium="wecom",
        channel=channel,
        recipient=channel.name,
        subject="催办",
        body="正文",
        state="sending",
        attempts=1,
        last_attempt_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_it_takes_back_a_row_left_sending_by_a_run_that_died(receiver, wecom, water, settings):
    settings.TIEJU_NOTIFY_STUCK_MINUTES = 30
    young = _stuck(wecom, 29)
    assert deliveries_retry() == [] and receiver.received == []  # within the timeout: maybe still being sent
    Delivery.objects.filter(pk=young.pk).delete()
    old = _stuck(wecom, 31)
    [retried] = deliveries_retry()
    assert retried.pk == old.pk and len(receiver.received) == 1
    old.refresh_from_db()
    assert (old.state, old.attempts) == ("sent", 2)
    # Sent now: the next run, and the same event planned again, send nothing more.
    assert deliveries_retry() == []
    notify("reminders:2026-06-20", water, "催办", "正文")
    assert len(receiver.received) == 1


def test_only_one_of_two_runs_takes_back_a_stuck_row(receiver, wecom, water):
    from notify.delivery import delivery_attempt

    row = _stuck(wecom, 120)
    first, second = Delivery.objects.get(pk=row.pk), Delivery.objects.get(pk=row.pk)  # both runs saw it stuck
    delivery_attempt(first)
    delivery_attempt(second)
    assert len(receiver.received) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)


def test_it_refuses_a_stuck_timeout_shorter_than_a_send():
    from tests.test_settings import _import_settings

    result = _import_settings(DEBUG="true", TIEJU_NOTIFY_STUCK_MINUTES="1", TIEJU_NOTIFY_TIMEOUT_SECONDS="60")
    assert result.returncode != 0 and "TIEJU_NOTIFY_STUCK_MINUTES" in result.stderr
