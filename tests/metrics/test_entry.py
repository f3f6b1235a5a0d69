from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from metrics.models import Area, IndicatorArea, Month, MonthEvent, MonthlyValue, MonthSubmission, ValueEvent
from tests.metrics.conftest import department, make_indicator

URL = reverse("metrics:entry", args=["2026", "11"])
MONTH = date(2026, 11, 1)
SUBMIT = reverse("metrics:month-submit", args=["2026", "11"])
APPROVE = reverse("metrics:month-approve", args=["2026", "11"])
REOPEN = reverse("metrics:month-reopen", args=["2026", "11"])


@pytest.fixture
def grid(reference):
    """PM2.5 and good-air days reported by the monitoring station, complaints by 水生态环境处 (for the test)."""
    city = Area.objects.get(is_city=True)
    station = department("深圳市环境监测中心站")
    pm25 = make_indicator("pm25", usual_min=5, usual_max=75, owner=station)
    good = make_indicator("good", combination="ratio", unit="%", direction="higher", owner=station)
    complaints = make_indicator(
        "complaints", combination="sum", unit="宗", decimals=0, owner=department("水生态环境处")
    )
    return {"city": city, "pm25": pm25, "good": good, "complaints": complaints}


def field(grid, code, name, area="city"):
    return f"{grid[code].pk}-{grid[area].pk if isinstance(area, str) else area.pk}-{name}"


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


def test_it_shows_leaders_the_grid_read_only(client, leader, grid):
    put_value = MonthlyValue.objects.create(indicator=grid["complaints"], area=grid["city"], month=MONTH, value=7)
    client.force_login(leader)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200 and "<output>7</output>" in page and "<input id=" not in page
    assert "报送：水生态环境处" in page and "报送：深圳市环境监测中心站" in page
    assert client.post(URL, {field(grid, "complaints", "value"): "5"}).status_code == 403
    put_value.refresh_from_db()
    assert put_value.value == 7


def test_it_opens_the_latest_month_that_has_ended(client, leader, grid, settings):
    from django.utils import timezone

    MonthlyValue.objects.create(indicator=grid["complaints"], area=grid["city"], month=date(2030, 1, 1), value=1)
    client.force_login(leader)
    today = timezone.localdate()
    last = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    response = client.get(reverse("metrics:entry-latest"))
    assert response["Location"] == reverse("metrics:entry", args=[f"{last:%Y}", f"{last:%m}"])


def test_it_saves_the_cells_staff_own_and_keeps_who_entered_them(client, water_staff, station_staff, grid):
    client.force_login(station_staff)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            field(grid, "pm25", "value"): "18.4",
            field(grid, "pm25", "denominator"): "30",
            field(grid, "good", "numerator"): "29",
            field(grid, "good", "denominator"): "30",
        },
    )
    assert response.status_code == 302
    client.force_login(water_staff)
    assert client.post(URL, {field(grid, "complaints", "value"): "812"}).status_code == 302
    values = {v.indicator.code: v for v in MonthlyValue.objects.filter(month=MONTH)}
    assert values["pm25"].value == Decimal("18.4") and values["pm25"].denominator == 30
    assert (values["good"].numerator, values["good"].denominator) == (29, 30)
    assert values["complaints"].value == 812 and values["complaints"].updated_by == water_staff
    assert values["pm25"].updated_by == station_staff
    history = list(ValueEvent.objects.filter(indicator=grid["pm25"]).values_list("action", "user__username", "shown"))
    assert history == [("enter", "station", "18.4 (30)")]
    page = client.get(URL).content.decode()
    assert 'value="812"' in page and "<output>18.4</output>" in page  # the station's cells: read-only for water


def test_it_refuses_a_post_touching_another_departments_cell_and_writes_nothing(client, water_staff, grid):
    client.force_login(water_staff)
    response = client.post(URL, {field(grid, "complaints", "value"): "812", field(grid, "pm25", "value"): "18"})
    assert response.status_code == 403
    assert MonthlyValue.objects.count() == 0 and ValueEvent.objects.count() == 0


def test_it_clears_a_value_left_blank_so_it_is_missing_not_zero(client, water_staff, grid):
    MonthlyValue.objects.create(indicator=grid["complaints"], area=grid["city"], month=MONTH, value=5)
    client.force_login(water_staff)
    client.post(URL, {field(grid, "complaints", "value"): ""})
    assert not MonthlyValue.objects.exists()
    assert ValueEvent.objects.get().action == "clear"


def test_it_marks_cells_that_do_not_apply_and_offers_no_input_there(client, admin_user, grid):
    futian = Area.objects.get(name="福田区")
    IndicatorArea.objects.create(indicator=grid["complaints"], area=futian)
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert page.count("不适用") >= 3  # complaints for the city; pm25 and good-air days for 福田区
    assert f'name="{grid["complaints"].pk}-{grid["city"].pk}-value"' not in page
    assert f'name="{grid["complaints"].pk}-{futian.pk}-value"' in page
    response = client.post(URL, {f"{grid['complaints'].pk}-{grid['city'].pk}-value": "5"})
    assert response.status_code == 403 and not MonthlyValue.objects.exists()


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
def test_it_explains_what_is_wrong_and_saves_nothing(client, admin_user, grid, data, message):
    client.force_login(admin_user)
    post = {field(grid, *key.split(":")): value for key, value in data.items()}
    post[field(grid, "complaints", "value")] = post.get(field(grid, "complaints", "value"), "10")
    response = client.post(URL, post)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "未保存任何数据" in page
    assert MonthlyValue.objects.count() == 0


def test_it_moves_a_month_through_each_owners_submission_to_approval_and_locks_it(
    client, water_staff, station_staff, statistics_lead, admin_user, grid
):
    client.force_login(water_staff)
    client.post(SUBMIT, {"department": department("水生态环境处").pk})
    assert Month.objects.get(month=MONTH).state == "draft"  # the station has not submitted yet
    assert client.post(APPROVE).status_code == 403
    client.force_login(station_staff)
    assert client.post(SUBMIT, {"department": department("水生态环境处").pk}).status_code == 403
    client.post(SUBMIT, {"department": department("深圳市环境监测中心站").pk})
    assert Month.objects.get(month=MONTH).state == "submitted"
    assert MonthSubmission.objects.count() == 2
    client.force_login(statistics_lead)
    response = client.post(APPROVE, follow=True)
    assert "已审核通过并锁定2026年11月数据" in response.content.decode()
    assert Month.objects.get(month=MONTH).state == "approved"
    client.force_login(water_staff)
    page = client.get(URL).content.decode()
    assert "已审核锁定" in page and "<input id=" not in page
    assert client.post(URL, {field(grid, "complaints", "value"): "5"}).status_code == 403
    assert MonthlyValue.objects.count() == 0


def test_it_records_the_submission_in_the_audit_trail(client, water_staff, grid):
    from audit.models import AuditEvent

    client.force_login(water_staff)
    water = {"department": department("水生态环境处").pk}
    client.post(SUBMIT, water)
    event = AuditEvent.objects.get(action="indicators.submit")
    assert (event.actor_name, event.object_repr, event.outcome) == ("water", "indicators 2026-11", "success")
    client.post(SUBMIT, water)  # already submitted: refused, also recorded
    refused = AuditEvent.objects.filter(action="indicators.submit").order_by("pk").last()
    assert refused.outcome == "failure" and "refused" in refused.detail_data


def test_it_never_lets_an_approver_approve_what_they_submitted(client, admin_user, statistics_lead, grid):
    client.force_login(admin_user)
    client.post(SUBMIT, {"department": department("水生态环境处").pk})
    client.post(SUBMIT, {"department": department("深圳市环境监测中心站").pk})
    assert Month.objects.get(month=MONTH).state == "submitted"
    response = client.post(APPROVE, follow=True)
    assert "不能审核自己提交的数据" in response.content.decode()
    assert Month.objects.get(month=MONTH).state == "submitted"
    client.force_login(statistics_lead)
    client.post(APPROVE)
    assert Month.objects.get(month=MONTH).state == "approved"


def test_it_reopens_a_month_only_with_a_reason_saying_which_month(
    client, water_staff, admin_user, statistics_lead, grid
):
    MonthlyValue.objects.create(indicator=grid["complaints"], area=grid["city"], month=MONTH, value=5)
    client.force_login(admin_user)
    client.post(SUBMIT, {"department": department("水生态环境处").pk})
    client.post(SUBMIT, {"department": department("深圳市环境监测中心站").pk})
    client.force_login(statistics_lead)
    client.post(APPROVE)
    client.force_login(water_staff)
    assert client.post(REOPEN, {"reason": "数据有误"}).status_code == 403
    client.force_login(statistics_lead)
    response = client.post(REOPEN, {"reason": "  "}, follow=True)
    assert "请填写退回理由" in response.content.decode()
    assert Month.objects.get(month=MONTH).state == "approved"
    page = client.get(URL).content.decode()
    assert "退回2026年11月数据的理由（必填）" in page
    response = client.post(REOPEN, {"reason": "监测站更正了11月PM2.5有效天数"}, follow=True)
    assert "已退回2026年11月数据重新填报，理由：监测站更正了11月PM2.5有效天数" in response.content.decode()
    assert Month.objects.get(month=MONTH).state == "draft" and not MonthSubmission.objects.exists()
    event = MonthEvent.objects.filter(action="reopen").get()
    assert (event.user, event.reason) == (statistics_lead, "监测站更正了11月PM2.5有效天数") and event.created_at
    assert "监测站更正了11月PM2.5有效天数" in client.get(URL).content.decode()
    actions = list(ValueEvent.objects.filter(indicator=grid["complaints"]).values_list("action", "user__username"))
    assert actions == [("submit", "admin"), ("approve", "stats"), ("reopen", "stats")]
    page = client.get(URL).content.decode()  # the approver sees each value's history
    assert "数值记录" in page and "审核通过" in page
    # The security audit trail holds the approval, the refused and the accepted reopening, by whom.
    trail = list(
        AuditEvent.objects.filter(action__in=["indicators.approve", "indicators.reopen"])
        .order_by("pk")
        .values_list("action", "actor_name", "object_repr", "outcome")
    )
    assert trail[0] == ("indicators.approve", "stats", "indicators 2026-11", "success")
    assert ("indicators.reopen", "stats", "indicators 2026-11", "success") in trail


def test_it_refuses_transitions_to_anonymous_and_outsiders(client, outsider, grid):
    assert client.post(SUBMIT).status_code == 302
    client.force_login(outsider)
    assert client.post(SUBMIT).status_code == 404
    assert not Month.objects.exists()


def test_it_answers_404_for_a_month_that_does_not_exist(client, water_staff):
    client.force_login(water_staff)
    assert client.get("/indicators/2026-13/").status_code == 404


def test_it_lets_an_approver_undo_a_partial_submission_with_a_reason(client, water_staff, statistics_lead, grid):
    client.force_login(water_staff)
    client.post(SUBMIT, {"department": department("水生态环境处").pk})
    assert Month.objects.get(month=MONTH).state == "draft" and MonthSubmission.objects.count() == 1
    client.force_login(statistics_lead)
    assert "退回2026年11月重新填报" in client.get(URL).content.decode()
    client.post(REOPEN, {"reason": "水生态环境处的数据需更正"})
    assert not MonthSubmission.objects.exists()
    assert MonthEvent.objects.filter(action="reopen", reason="水生态环境处的数据需更正").exists()
