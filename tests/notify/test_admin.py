"""Administrators configure channels and see failed deliveries; staff do not."""

from django.urls import reverse

from notify.models import Channel, Delivery


def _failed(channel, **fields):
    return Delivery.objects.create(
        event_key="reminders:2026-06-20",
        medium="wecom",
        channel=channel,
        recipient=channel.name,
        subject="催办",
        body="正文",
        state="failed",
        attempts=1,
        answer="HTTP 502 bad gateway",
        **fields,
    )


def test_it_lets_the_administrator_role_add_a_channel(client, admin_user, water):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notify_channel_add"),
        {
            "department": water.pk,
            "kind": "dingtalk",
            "name": "水处钉钉群",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "secret": "SECxyz",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.department, channel.kind, channel.secret) == (water, "dingtalk", "SECxyz")


def test_it_refuses_a_channel_url_that_is_not_http(client, admin_user, water):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notify_channel_add"),
        {
            "department": water.pk,
            "kind": "wecom",
            "name": "群",
            "url": "file:///etc/passwd",
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and Channel.objects.count() == 0
    assert "url" in response.context["adminform"].form.errors


def test_it_warns_administrators_on_the_admin_index(client, admin_user, wecom):
    _failed(wecom)
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "有 1 条通知发送失败或未完成。" in page
    assert reverse("admin:notify_delivery_changelist") + "?attention=1" in page


def test_it_shows_no_warning_when_everything_was_sent(client, admin_user, wecom):
    Delivery.objects.create(
        event_key="e", medium="wecom", channel=wecom, recipient="x", subject="s", body="b", state="sent"
    )
    client.force_login(admin_user)
    assert "通知发送失败" not in client.get(reverse("admin:index")).content.decode()


def test_it_lists_failures_with_their_answer(client, admin_user, wecom):
    delivery = _failed(wecom)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:notify_delivery_changelist") + "?attention=1")
    assert listing.status_code == 200 and list(listing.context["cl"].result_list) == [delivery]
    detail = client.get(reverse("admin:notify_delivery_change", args=[delivery.pk])).content.decode()
    assert "HTTP 502 bad gateway" in detail


def test_it_requeues_a_given_up_delivery(client, admin_user, wecom):
    delivery = _failed(wecom)
    Delivery.objects.filter(pk=delivery.pk).update(state="gave_up", attempts=5)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notify_delivery_changelist"), {"action": "requeue", "_selected_action": [delivery.pk]}
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 0) and delivery.next_attempt_at is not None


def test_it_keeps_department_staff_away_from_deliveries(client, water_staff, wecom):
    client.force_login(water_staff)
    assert client.get(reverse("admin:notify_delivery_changelist")).status_code == 302


def test_it_sends_a_test_message_to_the_selected_channel_and_shows_the_answer(
    client, admin_user, receiver, wecom, dingtalk
):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notify_channel_changelist"), {"action": "send_test", "_selected_action": [wecom.pk]}, follow=True
    )
    [request] = receiver.received
    assert request["path"] == "/cgi-bin/webhook/send"
    assert "水生态环境处 · 水处工作群 已接入铁军任务通" in request["body"].decode()
    page = response.content.decode()
    assert "水生态环境处 · 水处工作群: 已发送 · HTTP 200" in page
    assert Delivery.objects.get().event_key.startswith(f"test:{wecom.pk}:")


def test_it_shows_a_failed_test_message_as_an_error(client, admin_user, receiver, dingtalk):
    receiver.answers = [(200, {"errcode": 310000, "errmsg": "sign not match"})]
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notify_channel_changelist"),
        {"action": "send_test", "_selected_action": [dingtalk.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "失败，已放弃" in page and "sign not match" in page
    assert Delivery.objects.get().state == "gave_up"


def test_it_requeues_a_delivery_stuck_while_sending_but_not_one_sending_now(client, admin_user, wecom):
    from datetime import timedelta

    from django.utils import timezone

    stuck = _failed(wecom)
    Delivery.objects.filter(pk=stuck.pk).update(state="sending", last_attempt_at=timezone.now() - timedelta(hours=2))
    busy = Delivery.objects.create(
        event_key="other",
        medium="wecom",
        channel=wecom,
        recipient="x",
        subject="s",
        body="b",
        state="sending",
        last_attempt_at=timezone.now(),
    )
    client.force_login(admin_user)
    client.post(
        reverse("admin:notify_delivery_changelist"), {"action": "requeue", "_selected_action": [stuck.pk, busy.pk]}
    )
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.state == "failed" and busy.state == "sending"


def test_it_records_a_channel_created_changed_and_deleted(client, admin_user, superuser, water):
    from audit.models import AuditEvent

    form = {
        "department": water.pk,
        "kind": "dingtalk",
        "name": "水处钉钉群",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "secret": "SECxyz",
        "is_active": "on",
    }
    client.force_login(admin_user)
    assert client.post(reverse("admin:notify_channel_add"), form).status_code == 302
    channel = Channel.objects.get()
    created = AuditEvent.objects.get(action="notify.channel_create")
    assert created.actor_name == "admin" and created.object_id == str(channel.pk)
    assert created.detail_data["url"] == form["url"] and created.detail_data["signed"] is True
    assert "SECxyz" not in created.detail
    changed_form = {**form, "url": "https://oapi.dingtalk.com/robot/send?access_token=def", "secret": "SECnew"}
    assert client.post(reverse("admin:notify_channel_change", args=[channel.pk]), changed_form).status_code == 302
    changed = AuditEvent.objects.get(action="notify.channel_change")
    assert changed.detail_data == {"url": [form["url"], changed_form["url"]], "secret": "changed"}
    assert "SECnew" not in changed.detail
    client.post(reverse("admin:notify_channel_change", args=[channel.pk]), changed_form)  # no change: no event
    assert AuditEvent.objects.filter(action="notify.channel_change").count() == 1
    client.force_login(superuser)  # the 管理员 role adds and changes channels; deleting one is the superuser's
    response = client.post(reverse("admin:notify_channel_delete", args=[channel.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Channel.objects.exists()
    deleted = AuditEvent.objects.get(action="notify.channel_delete")
    assert deleted.actor_name == "root" and deleted.object_repr == "水生态环境处 · 水处钉钉群"
