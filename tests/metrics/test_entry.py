from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.models import Area, Month, MonthEvent, MonthlyValue
from tests.metrics.conftest import make_indicator

URL = reverse("metrics:entry", args=["2026", "11"])
MONTH = date(2026, 11, 1)


@pytest.fixture
def grid(reference):
    city = Area.objects.get(is_city=True)
    pm25 = make_indicator("pm25", usual_min=5, usual_max=75)
    good = make_indicator("good", combination="ratio", unit="%", direction="higher")
    complaints = make_indicator("complaints", combination="sum", unit="宗", decimals=0)
    return {"city": city, "pm25": pm25, "good": good, "complaints": complaints}


def field(grid, code, name):
    return f"{grid[code].pk}-{grid['city'].pk}-{name}"


def test_it_requires_login(client, grid):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.post(URL, {field(grid, "complaints", "value"): "5"})
    assert MonthlyValue.objects.count() == 0


def test_it_hides_the_grid_from_an_account_without_a_role(client, outsider, grid):
    client.force_login(outsider)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {field(grid, "complaints", "value"): "5"}).status_code == 404
    assert MonthlyValue.objects.count() == 0


def test_it_refuses_the_grid_to_leaders(client, leader, grid):
    client.force_login(leader)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {field(grid, "complaints", "value"): "5"}).status_code == 403
    assert MonthlyValue.objects.count() == 0


def test_it_saves_the_grid_for_staff(client, water_staff, grid):
    client.force_login(water_staff)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            field(grid, "pm25", "value"): "18.4",
            field(grid, "pm25", "denominator"): "30",
            field(grid, "good", "numerator"): "29",
            field(grid, "good", "denominator"): "30",
            field(grid, "complaints", "value"): "812",
        },
    )
    assert response.status_code == 302
    values = {v.indicator.code: v for v in MonthlyValue.objects.filter(month=MONTH)}
    assert values["pm25"].value == Decimal("18.4") and values["pm25"].denominator == 30
    assert (values["good"].numerator, values["good"].denominator) == (29, 30)
    assert values["complaints"].value == 812 and values["complaints"].updated_by == water_staff
    page = client.get(URL).content.decode()
    assert 'value="18.4"' in page


def test_it_clears_a_value_left_blank_so_it_is_missing_not_zero(client, water_staff, grid):
    MonthlyValue.objects.create(indicator=grid["complaints"], area=grid["city"], month=MONTH, value=5)
    client.force_login(water_staff)
    client.post(URL, {field(grid, "complaints", "value"): ""})
    assert not MonthlyValue.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"good:numerator": "31", "good:denominator": "30"}, "分子（31）不能大于分母（30），比例不能超过100%"),
        ({"good:numerator": "29"}, "比例指标须同时填写分子和分母"),
        ({"complaints:value": "-3"}, "不能为负数"),
        ({"complaints:value": "abc"}, "“abc”不是数字"),
        ({"pm25:value": "18", "pm25:denominator": "31"}, "有效天数应在1至30之间"),
        ({"complaints:value": "3.5"}, "该指标应为整数"),
    ],
)
def test_it_explains_what_is_wrong_and_saves_nothing(client, water_staff, grid, data, message):
    client.force_login(water_staff)
    post = {field(grid, *key.split(":")): value for key, value in data.items()}
    post[field(grid, "complaints", "value")] = post.get(field(grid, "complaints", "value"), "10")
    response = client.post(URL, post)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "未保存任何数据" in page
    assert MonthlyValue.objects.count() == 0


def test_it_warns_about_a_value_far_outside_the_usual_range_but_saves_it(client, water_staff, grid):
    client.force_login(water_staff)
    response = client.post(
        URL, {field(grid, "pm25", "value"): "180", field(grid, "pm25", "denominator"): "30"}, follow=True
    )
    assert "数值180远超常见范围（5—75），请核实" in response.content.decode()
    assert MonthlyValue.objects.get().value == 180


def test_it_moves_a_month_from_draft_to_submitted_to_approved_and_locks_it(client, water_staff, admin_user, grid):
    client.force_login(water_staff)
    client.post(reverse("metrics:month-submit", args=["2026", "11"]))
    assert Month.objects.get(month=MONTH).state == "submitted"
    assert client.post(reverse("metrics:month-approve", args=["2026", "11"])).status_code == 403
    assert Month.objects.get(month=MONTH).state == "submitted"
    client.force_login(admin_user)
    client.post(reverse("metrics:month-approve", args=["2026", "11"]))
    assert Month.objects.get(month=MONTH).state == "approved"
    client.force_login(water_staff)
    page = client.get(URL).content.decode()
    assert "已审核锁定" in page and "disabled" in page
    assert client.post(URL, {field(grid, "complaints", "value"): "5"}).status_code == 403
    assert MonthlyValue.objects.count() == 0


def test_it_records_the_submission_in_the_audit_trail(client, water_staff, grid):
    from audit.models import AuditEvent

    client.force_login(water_staff)
    client.post(reverse("metrics:month-submit", args=["2026", "11"]))
    event = AuditEvent.objects.get(action="indicators.submit")
    assert (event.actor_name, event.object_repr, event.outcome) == ("water", "indicators 2026-11", "success")
    client.post(reverse("metrics:month-submit", args=["2026", "11"]))  # already submitted: refused, also recorded
    refused = AuditEvent.objects.filter(action="indicators.submit").order_by("pk").last()
    assert refused.outcome == "failure" and "refused" in refused.detail_data


def test_it_reopens_an_approved_month_only_with_a_reason_logged(client, water_staff, admin_user, grid):
    client.force_login(admin_user)
    client.post(reverse("metrics:month-submit", args=["2026", "11"]))
    client.post(reverse("metrics:month-approve", args=["2026", "11"]))
    reopen = reverse("metrics:month-reopen", args=["2026", "11"])
    client.force_login(water_staff)
    assert client.post(reopen, {"reason": "数据有误"}).status_code == 403
    client.force_login(admin_user)
    response = client.post(reopen, {"reason": "  "}, follow=True)
    assert "请填写退回理由" in response.content.decode()
    assert Month.objects.get(month=MONTH).state == "approved"
    client.post(reopen, {"reason": "监测站更正了11月PM2.5有效天数"})
    assert Month.objects.get(month=MONTH).state == "draft"
    event = MonthEvent.objects.filter(action="reopen").get()
    assert (event.user, event.reason) == (admin_user, "监测站更正了11月PM2.5有效天数") and event.created_at
    assert "监测站更正了11月PM2.5有效天数" in client.get(URL).content.decode()


def test_it_refuses_transitions_to_anonymous_and_outsiders(client, outsider, grid):
    submit = reverse("metrics:month-submit", args=["2026", "11"])
    assert client.post(submit).status_code == 302
    client.force_login(outsider)
    assert client.post(submit).status_code == 404
    assert not Month.objects.exists()


def test_it_answers_404_for_a_month_that_does_not_exist(client, water_staff):
    client.force_login(water_staff)
    assert client.get("/indicators/2026-13/").status_code == 404
