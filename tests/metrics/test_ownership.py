"""Who may write which indicator value: owner's staff, other staff, readers, administrators × own/other/no owner."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from metrics.models import Area, Month, MonthlyValue, MonthSubmission, ValueEvent
from tests.metrics.conftest import department, make_indicator

URL = reverse("metrics:entry", args=["2026", "11"])
MONTH = date(2026, 11, 1)


@pytest.fixture
def cells(reference):
    city = Area.objects.get(is_city=True)
    owned = make_indicator("pm25", owner=department("深圳市环境监测中心站"))
    orphan = make_indicator("orphan", combination="sum", unit="项", decimals=0)  # no owner: administrators only
    return {"city": city, "owned": owned, "orphan": orphan}


def post_for(cells, which):
    indicator, city = cells[which], cells["city"]
    if which == "owned":
        return {f"{indicator.pk}-{city.pk}-value": "20", f"{indicator.pk}-{city.pk}-denominator": "30"}
    return {f"{indicator.pk}-{city.pk}-value": "3"}


@pytest.mark.parametrize(
    "user, which, writes",
    [
        ("station_staff", "owned", True),
        ("station_staff", "orphan", False),
        ("water_staff", "owned", False),
        ("water_staff", "orphan", False),
        ("leader", "owned", False),
        ("statistics_lead", "owned", False),  # approving is not entering
        ("admin_user", "owned", True),
        ("admin_user", "orphan", True),
    ],
)
def test_it_lets_only_the_owners_staff_and_administrators_write_a_value(client, request, cells, user, which, writes):
    account = request.getfixturevalue(user)
    client.force_login(account)
    page = client.get(URL)
    assert page.status_code == 200  # everyone with the bulletin permission reads
    response = client.post(URL, post_for(cells, which))
    if writes:
        assert response.status_code == 302
        value = MonthlyValue.objects.get(indicator=cells[which])
        assert value.updated_by == account
        assert ValueEvent.objects.get().user == account
    else:
        assert response.status_code == 403
        assert not MonthlyValue.objects.exists() and not ValueEvent.objects.exists()


def test_it_tells_a_reader_whose_cells_they_are(client, water_staff, cells):
    client.force_login(water_staff)
    page = client.get(URL).content.decode()
    assert "报送：深圳市环境监测中心站" in page and "报送：管理员（未指定报送部门）" in page
    assert 'name="' + f"{cells['owned'].pk}-{cells['city'].pk}-value" + '"' not in page


@pytest.mark.parametrize(
    "user, department_name, allowed",
    [
        ("station_staff", "深圳市环境监测中心站", True),
        ("water_staff", "深圳市环境监测中心站", False),
        ("station_staff", None, False),  # the indicators without an owner: administrators submit them
        ("admin_user", None, True),
        ("admin_user", "深圳市环境监测中心站", True),
        ("leader", "深圳市环境监测中心站", False),
    ],
)
def test_it_lets_each_owner_submit_only_its_own_values(client, request, cells, user, department_name, allowed):
    client.force_login(request.getfixturevalue(user))
    pk = department(department_name).pk if department_name else ""
    response = client.post(reverse("metrics:month-submit", args=["2026", "11"]), {"department": pk})
    assert response.status_code == (302 if allowed else 403)
    assert MonthSubmission.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize(
    "approver, status, approved",
    [
        ("statistics_lead", 302, True),  # granted the data approver permission, submitted nothing
        ("admin_user", 302, False),  # submitted the values without an owner: may not approve them
        ("station_staff", 403, False),
        ("leader", 403, False),
    ],
)
def test_it_approves_only_by_an_approver_who_submitted_none_of_the_month(
    client, request, cells, station_staff, admin_user, approver, status, approved
):
    submit = reverse("metrics:month-submit", args=["2026", "11"])
    client.force_login(station_staff)
    client.post(submit, {"department": department("深圳市环境监测中心站").pk})
    client.force_login(admin_user)
    client.post(submit, {"department": ""})
    assert Month.objects.get(month=MONTH).state == "submitted"
    client.force_login(request.getfixturevalue(approver))
    assert client.post(reverse("metrics:month-approve", args=["2026", "11"])).status_code == status
    assert Month.objects.get(month=MONTH).state == ("approved" if approved else "submitted")


def test_it_asks_for_the_permission_not_the_role(client, cells, water_staff):
    """A staff member granted metrics.enter_any_indicator_values writes the cells without an owner and
    another department's, and submits for them, as the 管理员 role does."""
    water_staff.user_permissions.add(Permission.objects.get(codename="enter_any_indicator_values"))
    client.force_login(water_staff)
    assert client.post(URL, {**post_for(cells, "orphan"), **post_for(cells, "owned")}).status_code == 302
    assert MonthlyValue.objects.filter(updated_by=water_staff).count() == 2
    submit = reverse("metrics:month-submit", args=["2026", "11"])
    assert client.post(submit, {"department": ""}).status_code == 302
    assert client.post(submit, {"department": department("深圳市环境监测中心站").pk}).status_code == 302
    assert MonthSubmission.objects.count() == 2


@pytest.mark.parametrize("who", ["system_admin", "security_admin", "auditor"])
def test_it_gives_the_three_separated_administrators_no_data_rights(client, request, cells, who):
    user = request.getfixturevalue(who)
    assert not {p for p in user.get_all_permissions() if p.startswith(("metrics.", "tasks."))}
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, post_for(cells, "orphan")).status_code == 404
    assert client.post(reverse("metrics:month-submit", args=["2026", "11"]), {"department": ""}).status_code == 404
    assert not MonthlyValue.objects.exists() and not MonthSubmission.objects.exists()
