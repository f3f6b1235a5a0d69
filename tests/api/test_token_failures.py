"""Guessing tokens: failed Bearer attempts are audited, and past the limit an address gets 429 for a while."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import token_create, token_revoke
from audit.models import AuditEvent

URL = "/api/v1/departments/"


@pytest.fixture
def limit(settings):
    settings.TIEJU_API_TOKEN_FAILURES = 3
    settings.TIEJU_API_TOKEN_MINUTES = 10
    settings.TIEJU_PROXY_COUNT = 1
    return settings


def _get(token, address, **headers):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    # As nginx forwards it: from the proxy, the client's address in X-Forwarded-For.
    return api.get(URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address, **headers)


def test_it_records_each_failed_token_with_the_client_address(limit, water_staff):
    revoked, revoked_token = token_create(user=water_staff, name="旧对接")
    token_revoke(token=revoked, by=water_staff)
    assert _get("tj_made-up", "203.0.113.7").status_code == 401
    assert _get(revoked_token, "203.0.113.7").status_code == 401
    events = AuditEvent.objects.filter(action="api.token_failed").order_by("pk")
    assert [(e.ip_address, e.outcome, e.detail_data["reason"]) for e in events] == [
        ("203.0.113.7", "failure", "unknown"),
        ("203.0.113.7", "failure", "revoked"),
    ]
    # A revoked token still in use names its owner and the token (never the secret), so it can be chased.
    assert (events[1].actor_name, events[1].object_id) == ("water", str(revoked.pk))
    assert revoked_token not in events[1].detail + events[1].object_repr


def test_it_answers_429_in_json_after_the_limit_and_only_for_that_address(limit, water_staff):
    _record, good = token_create(user=water_staff, name="大屏看板")
    assert [_get(f"tj_guess{n}", "203.0.113.7").status_code for n in range(3)] == [401, 401, 401]
    refused = _get("tj_guess4", "203.0.113.7")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "无效令牌过多" in refused.json()["message"]
    assert 590 <= int(refused["Retry-After"]) <= 600
    # The right token from the blocked address is refused too: a guess cannot tell that it hit.
    assert _get(good, "203.0.113.7").status_code == 429
    # Another address is not affected, and the blocked requests added nothing to the trail.
    assert _get(good, "198.51.100.9").status_code == 200
    assert AuditEvent.objects.filter(action="api.token_failed").count() == 3


def test_it_lets_the_address_try_again_once_the_failures_leave_the_window(limit, water_staff, monkeypatch):
    _record, good = token_create(user=water_staff, name="大屏看板")
    for n in range(3):
        _get(f"tj_guess{n}", "203.0.113.7")
    assert _get(good, "203.0.113.7").status_code == 429
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _get(good, "203.0.113.7").status_code == 200


def test_it_answers_english_to_an_english_client(limit, reference):
    for n in range(3):
        _get(f"tj_guess{n}", "203.0.113.7")
    refused = _get("tj_guess", "203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429 and "Too many invalid tokens" in refused.json()["message"]


def test_sessions_are_not_affected(limit, client, water_staff):
    for n in range(3):
        _get(f"tj_guess{n}", "127.0.0.1")
    client.force_login(water_staff)
    assert client.get(URL, REMOTE_ADDR="127.0.0.1").status_code == 200
