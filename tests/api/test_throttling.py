"""Too many requests in a minute: 429 in JSON, with Retry-After; per account and per address."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api.conftest import token_client


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_it_throttles_an_account_past_its_rate(reference, leader, water_staff, settings):
    settings.TIEJU_API_RATE_USER = "3/minute"
    api = token_client(leader)
    assert [api.get("/api/v1/departments/").status_code for _i in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/departments/")
    assert refused.status_code == 429
    assert refused.json()["message"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another account has its own allowance.
    assert token_client(water_staff).get("/api/v1/departments/").status_code == 200


def test_it_throttles_anonymous_callers_by_address(db, settings):
    settings.TIEJU_API_RATE_ANONYMOUS = "2/minute"
    api = APIClient()
    # What an anonymous caller can reach is the schema (an API call without credentials is a 401 first).
    assert [api.get("/api/schema/").status_code for _i in range(3)] == [200, 200, 429]


def test_it_refuses_a_rate_it_cannot_read():
    from tests.test_settings import _import_settings

    result = _import_settings(DEBUG="true", TIEJU_API_RATE_USER="lots")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "TIEJU_API_RATE_USER must read like 600/minute" in result.stderr
    assert _import_settings(DEBUG="true", TIEJU_API_RATE_USER="20/second").returncode == 0
