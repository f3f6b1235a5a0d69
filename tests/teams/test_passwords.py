"""Password policy: complexity, not the user name, not one of the last 5, expiry forcing a change."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from teams.models import PasswordHistory

CHANGE = reverse("password_change")


def _age(user, *, days):
    """The user's password as set `days` ago (through the history, as a real change leaves it)."""
    user.set_password("pw")
    user.save()
    PasswordHistory.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=days))


@pytest.mark.parametrize(
    "password, code",
    [
        ("Ab1-xyz", "password_too_short"),
        ("abcdefghijkl", "password_too_simple"),
        ("qingshui2026", "password_too_simple"),
        ("Water-2026-ok", "password_contains_username"),
    ],
)
def test_it_refuses_weak_passwords(water_staff, password, code):
    with pytest.raises(ValidationError) as error:
        validate_password(password, water_staff)
    assert code in [e.code for e in error.value.error_list], error.value.messages


def test_it_accepts_ten_characters_of_three_classes(water_staff):
    validate_password("Qingshui-26", water_staff)


def test_it_refuses_the_last_five_passwords_but_not_the_sixth(water_staff):
    passwords = [f"Qingshui-{n}x" for n in range(1, 7)]
    for password in passwords:
        water_staff.set_password(password)
        water_staff.save()
    assert PasswordHistory.objects.filter(user=water_staff).count() == 6
    for recent in passwords[1:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(recent, water_staff)
    validate_password(passwords[0], water_staff)


def test_changing_the_password_is_recorded(client, water_staff):
    client.force_login(water_staff)
    response = client.post(
        CHANGE, {"old_password": "pw", "new_password1": "Qingshui-2026", "new_password2": "Qingshui-2026"}
    )
    assert response.status_code == 302
    water_staff.refresh_from_db()
    assert water_staff.check_password("Qingshui-2026")
    event = AuditEvent.objects.filter(action="auth.password_change").latest("pk")
    assert event.actor_name == "water" and event.detail_data == {"by_self": True}


def test_an_expired_password_must_be_changed_at_the_next_login(client, water_staff, settings):
    settings.TIEJU_PASSWORD_MAX_AGE_DAYS = 90
    _age(water_staff, days=91)
    response = client.post(reverse("login"), {"username": "water", "password": "pw"})
    assert response.status_code == 302
    response = client.get(reverse("tasks:dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == CHANGE
    assert "您的密码已过期" in response.content.decode()
    client.post(CHANGE, {"old_password": "pw", "new_password1": "Qingshui-2026", "new_password2": "Qingshui-2026"})
    response = client.get(reverse("tasks:dashboard"), follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] != CHANGE
    assert "任务看板" in response.content.decode()


def test_a_password_within_its_age_is_not_expired(client, water_staff, settings):
    settings.TIEJU_PASSWORD_MAX_AGE_DAYS = 90
    _age(water_staff, days=89)
    client.post(reverse("login"), {"username": "water", "password": "pw"})
    response = client.get(reverse("tasks:dashboard"), follow=True)
    assert all(url != CHANGE for url, _status in response.redirect_chain)


def test_demo_accounts_are_exempt_only_by_the_setting(client, water_staff, settings):
    """`water` is a demo user name; the exemption is off unless TIEJU_DEMO_ACCOUNTS_EXEMPT is on."""
    from teams.passwords import password_expired

    _age(water_staff, days=365)
    settings.TIEJU_DEMO_ACCOUNTS_EXEMPT = False
    assert password_expired(water_staff) is True
    settings.TIEJU_DEMO_ACCOUNTS_EXEMPT = True
    assert password_expired(water_staff) is False


def test_the_demo_exemption_is_refused_in_production():
    from tests.test_settings import _import_settings

    result = _import_settings(
        DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="tieju.example.gov.cn", TIEJU_DEMO_ACCOUNTS_EXEMPT="true"
    )
    assert "TIEJU_DEMO_ACCOUNTS_EXEMPT may be on only with DEBUG" in result.stderr
