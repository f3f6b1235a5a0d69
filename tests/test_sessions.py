"""Sessions end after TIEJU_SESSION_IDLE_MINUTES idle and TIEJU_SESSION_MAX_HOURS after sign-in."""

from django.urls import reverse

from audit.models import AuditEvent
from tieju.middleware import SEEN, SIGNED_IN

DASHBOARD = reverse("tasks:todo")  # any page that answers 200 to a signed-in user


def _shift(client, key, seconds):
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def test_it_ends_an_idle_session(client, water_staff, settings):
    settings.TIEJU_SESSION_IDLE_MINUTES = 30
    client.post(reverse("login"), {"username": "water", "password": "pw"})
    assert client.get(DASHBOARD).status_code == 200
    _shift(client, SEEN, 29 * 60)
    assert client.get(DASHBOARD).status_code == 200  # 29 minutes: still signed in, and the clock restarts
    _shift(client, SEEN, 31 * 60)
    response = client.get(DASHBOARD, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "已超过 30 分钟未操作" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="auth.session_timeout")
    assert event.actor_name == "water" and event.detail_data == {"reason": "idle"}


def test_it_ends_a_session_past_its_absolute_lifetime_however_active(client, water_staff, settings):
    settings.TIEJU_SESSION_MAX_HOURS = 8
    client.post(reverse("login"), {"username": "water", "password": "pw"})
    _shift(client, SIGNED_IN, 8 * 3600 + 1)
    response = client.get(DASHBOARD, follow=True)
    assert "登录已超过 8 小时" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_and_out_are_recorded_with_the_address(client, water_staff):
    client.post(reverse("login"), {"username": "water", "password": "pw"}, REMOTE_ADDR="192.0.2.10")
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.10")
    client.post(reverse("login"), {"username": "water", "password": "nope"}, REMOTE_ADDR="192.0.2.11")
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_name", "ip_address", "outcome"))
    assert events[-3:] == [
        ("auth.login", "water", "192.0.2.10", "success"),
        ("auth.logout", "water", "192.0.2.10", "success"),
        ("auth.login_failed", "water", "192.0.2.11", "failure"),
    ]
