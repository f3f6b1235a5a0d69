"""Indicator data for the metrics tests: the bureau's sample workbook, or small hand-made series."""

from datetime import date
from decimal import Decimal

import pytest

from metrics.models import Area, Indicator, MonthlyValue


@pytest.fixture
def sample_indicators(reference, admin_user):
    """The 13 indicators and every monthly value of fixtures/monthly-indicators.xlsx (2025-01..2026-10)."""
    from metrics.demo import metrics_demo_load

    return metrics_demo_load(user=admin_user)


@pytest.fixture
def city(db):
    return Area.objects.get(is_city=True)


def make_indicator(code="pm25", combination="mean_days", **fields):
    defaults = {"name": code, "unit": "微克/立方米", "decimals": 1, "direction": "lower"}
    defaults.update(fields)
    return Indicator.objects.create(code=code, combination=combination, **defaults)


def put(indicator, area, year, month, value=None, numerator=None, denominator=None):
    def d(x):
        return None if x is None else Decimal(str(x))

    return MonthlyValue.objects.create(
        indicator=indicator,
        area=area,
        month=date(year, month, 1),
        value=d(value),
        numerator=d(numerator),
        denominator=d(denominator),
    )


@pytest.fixture
def station_staff(reference):
    """深圳市环境监测中心站's staff member: the department reporting air and water quality."""
    from teams import roles
    from tests.conftest import _user

    return _user("station", roles.STAFF, "深圳市环境监测中心站")


@pytest.fixture
def enforcement_staff(reference):
    from teams import roles
    from tests.conftest import _user

    return _user("enforce", roles.STAFF, "生态环境综合执法支队")


@pytest.fixture
def statistics_lead(reference):
    """A staff member of 综合规划处 granted the data approver permission (not an administrator)."""
    from django.contrib.auth.models import Permission

    from teams import roles
    from tests.conftest import _user

    user = _user("stats", roles.STAFF, "综合规划处")
    user.user_permissions.add(Permission.objects.get(codename="approve_indicator_month"))
    return user


def department(name):
    from teams.models import Department

    return Department.objects.get(name=name)
