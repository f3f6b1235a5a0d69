"""Validation rules between values and outliers against history: at the cell on save, blocking submission."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.checks import rule_violations
from metrics.models import Area, Month, MonthlyValue, RuleComment, ValidationRule
from tests.metrics.conftest import department, make_indicator, put

URL = reverse("metrics:entry", args=["2026", "11"])
SUBMIT = reverse("metrics:month-submit", args=["2026", "11"])
MONTH = date(2026, 11, 1)


@pytest.fixture
def futian_grid(reference):
    """福田区 complaints and construction-noise complaints, both reported by 福田管理局."""
    from metrics.models import IndicatorArea

    futian = Area.objects.get(name="福田区")
    office = department("福田管理局")
    total = make_indicator("complaints_total", combination="sum", unit="宗", decimals=0, owner=office)
    noise = make_indicator("noise_complaints", combination="sum", unit="宗", decimals=0, owner=office)
    for indicator in (total, noise):
        IndicatorArea.objects.create(indicator=indicator, area=futian)
    rule = ValidationRule.objects.create(
        text="福田区建筑施工噪声投诉量不能超过福田区环境信访投诉量",
        left_indicator=noise,
        left_area=futian,
        operator="<=",
        right_indicator=total,
        right_area=futian,
    )
    return {"futian": futian, "total": total, "noise": noise, "rule": rule, "office": office}


def cell(indicator, area, field="value"):
    return f"{indicator.pk}-{area.pk}-{field}"


@pytest.mark.parametrize(
    "operator, left, right, broken",
    [
        ("<=", 5, 5, False),
        ("<=", 6, 5, True),
        ("<", 5, 5, True),
        ("<", 4, 5, False),
        ("==", 5, 5, False),
        ("==", 4, 5, True),
        (">=", 4, 5, True),
        (">=", 5, 5, False),
        (">", 5, 5, True),
        (">", 6, 5, False),
    ],
)
def test_it_evaluates_each_operator(reference, operator, left, right, broken):
    city = Area.objects.get(is_city=True)
    a, b = make_indicator("a", combination="sum"), make_indicator("b", combination="sum")
    ValidationRule.objects.create(
        text="规则", left_indicator=a, left_area=city, operator=operator, right_indicator=b, right_area=city
    )
    numbers = {(a.pk, city.pk): {"value": Decimal(left)}, (b.pk, city.pk): {"value": Decimal(right)}}
    assert bool(rule_violations(numbers)) is broken


def test_it_compares_fields_of_two_indicators_and_skips_a_missing_side(reference):
    """PM2.5's valid days equal good-air days' denominator; nothing is broken while one is missing."""
    city = Area.objects.get(is_city=True)
    pm25, good = make_indicator("pm25"), make_indicator("good", combination="ratio")
    ValidationRule.objects.create(
        text="PM2.5有效天数应等于优良天数比例的分母",
        left_indicator=pm25,
        left_area=city,
        left_field="denominator",
        operator="==",
        right_indicator=good,
        right_area=city,
        right_field="denominator",
    )
    found = rule_violations(
        {
            (pm25.pk, city.pk): {"value": Decimal(20), "denominator": Decimal(30)},
            (good.pk, city.pk): {"denominator": Decimal(29)},
        }
    )
    assert [v.message() for v in found] == ["PM2.5有效天数应等于优良天数比例的分母（30 = 29 不成立）"]
    assert rule_violations({(pm25.pk, city.pk): {"value": Decimal(20), "denominator": Decimal(30)}}) == []


def test_it_applies_a_rule_without_areas_to_each_area_against_itself(reference):
    city, futian = Area.objects.get(is_city=True), Area.objects.get(name="福田区")
    total, noise = make_indicator("t", combination="sum"), make_indicator("n", combination="sum")
    ValidationRule.objects.create(text="噪声≤总量", left_indicator=noise, operator="<=", right_indicator=total)
    numbers = {
        (noise.pk, city.pk): {"value": Decimal(3)},
        (total.pk, city.pk): {"value": Decimal(9)},
        (noise.pk, futian.pk): {"value": Decimal(12)},
        (total.pk, futian.pk): {"value": Decimal(10)},
    }
    assert [v.left for v in rule_violations(numbers)] == [(noise.pk, futian.pk)]


def test_it_shows_a_broken_rule_at_the_cell_and_blocks_submission_until_explained(client, district_staff, futian_grid):
    g = futian_grid
    client.force_login(district_staff)
    response = client.post(
        URL, {cell(g["total"], g["futian"]): "800", cell(g["noise"], g["futian"]): "900"}, follow=True
    )
    page = response.content.decode()
    assert MonthlyValue.objects.count() == 2  # saved, with the rule's own text at both cells
    assert page.count("福田区建筑施工噪声投诉量不能超过福田区环境信访投诉量（900 ≤ 800 不成立）") >= 3
    response = client.post(SUBMIT, {"department": g["office"].pk}, follow=True)
    assert "未说明的校验问题：福田区建筑施工噪声投诉量不能超过福田区环境信访投诉量" in response.content.decode()
    assert not Month.objects.get(month=MONTH).submissions.exists()
    comment = reverse("metrics:rule-comment", args=["2026", "11", g["rule"].pk])
    client.post(comment, {"text": "噪声投诉含跨区转办件，总量口径不含"})
    assert RuleComment.objects.get().text == "噪声投诉含跨区转办件，总量口径不含"
    client.post(SUBMIT, {"department": g["office"].pk})
    assert Month.objects.get(month=MONTH).state == "submitted"
    page = client.get(URL).content.decode()
    assert "说明：噪声投诉含跨区转办件，总量口径不含（futian）" in page


def test_it_lets_a_fixed_value_through_without_a_comment(client, district_staff, futian_grid):
    g = futian_grid
    client.force_login(district_staff)
    client.post(URL, {cell(g["total"], g["futian"]): "800", cell(g["noise"], g["futian"]): "900"})
    client.post(URL, {cell(g["total"], g["futian"]): "1000", cell(g["noise"], g["futian"]): "900"})
    client.post(SUBMIT, {"department": g["office"].pk})
    assert Month.objects.get(month=MONTH).state == "submitted"


def test_it_refuses_a_rule_comment_from_a_department_owning_neither_side(client, water_staff, futian_grid):
    g = futian_grid
    client.force_login(water_staff)
    comment = reverse("metrics:rule-comment", args=["2026", "11", g["rule"].pk])
    assert client.post(comment, {"text": "x"}).status_code == 403
    assert not RuleComment.objects.exists()


@pytest.fixture
def pm25(reference):
    return make_indicator("pm25", usual_min=5, usual_max=75, owner=department("深圳市环境监测中心站"))


def test_it_saves_an_outlier_with_a_warning_and_requires_a_note_before_submission(
    client, station_staff, statistics_lead, pm25
):
    city = Area.objects.get(is_city=True)
    client.force_login(station_staff)
    response = client.post(URL, {cell(pm25, city): "180", cell(pm25, city, "denominator"): "30"}, follow=True)
    page = response.content.decode()
    assert "数值180远超常见范围（5—75），请核实" in page and "异常值说明" in page
    assert MonthlyValue.objects.get().value == 180
    response = client.post(SUBMIT, {"department": pm25.owner_id}, follow=True)
    assert "请填写异常值说明" in response.content.decode()
    assert not Month.objects.get(month=MONTH).submissions.exists()
    client.post(
        URL,
        {cell(pm25, city): "180", cell(pm25, city, "denominator"): "30", cell(pm25, city, "note"): "受沙尘天气影响"},
    )
    assert MonthlyValue.objects.get().note == "受沙尘天气影响"
    client.post(SUBMIT, {"department": pm25.owner_id})
    assert Month.objects.get(month=MONTH).state == "submitted"
    client.force_login(statistics_lead)
    assert "异常值说明：受沙尘天气影响" in client.get(URL).content.decode()


def test_it_flags_a_value_far_from_the_same_month_of_three_earlier_years(client, station_staff, pm25):
    city = Area.objects.get(is_city=True)
    for year, value in ((2023, 30), (2024, 32), (2025, 31)):
        put(pm25, city, year, 11, value, denominator=30)
    client.force_login(station_staff)
    page = client.post(URL, {cell(pm25, city): "50", cell(pm25, city, "denominator"): "30"}, follow=True)
    assert "与往年同月（3年，平均31）相差较大，请核实" in page.content.decode()
    page = client.post(URL, {cell(pm25, city): "33", cell(pm25, city, "denominator"): "30"}, follow=True)
    assert "相差较大" not in page.content.decode()


def test_it_needs_three_earlier_years_before_comparing_with_them(client, station_staff, pm25):
    city = Area.objects.get(is_city=True)
    for year, value in ((2024, 30), (2025, 31)):
        put(pm25, city, year, 11, value, denominator=30)
    client.force_login(station_staff)
    page = client.post(URL, {cell(pm25, city): "60", cell(pm25, city, "denominator"): "30"}, follow=True)
    assert "相差较大" not in page.content.decode()
