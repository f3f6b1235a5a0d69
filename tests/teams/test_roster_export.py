import io
from datetime import date, datetime

from django.urls import reverse
from openpyxl import load_workbook

from teams.models import ActionTeam, TeamMembership
from tests.teams.conftest import make_person

URL = reverse("teams:roster-export")


def _rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_it_requires_login(client, reference):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_is_not_found_for_an_outsider(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 404


def test_it_exports_the_open_memberships_in_the_import_layout(client, air_staff, water_team):
    gone = make_person("gone", "离队人", "水生态环境处")
    TeamMembership.objects.create(team=water_team, user=gone, since=date(2026, 3, 1), until=date(2026, 4, 1))
    deputy = make_person("d", "何清源", "水生态环境处")
    TeamMembership.objects.create(
        team=water_team, user=deputy, role="deputy", since=date(2026, 3, 5), department=deputy.departments.first()
    )
    client.force_login(air_staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0] == ("行动队", "姓名", "所在部门", "队内职务", "加入日期")
    assert rows[1:] == [
        ("水污染防治战斗队", "water", "水生态环境处", "队长", datetime(2026, 3, 1)),
        ("水污染防治战斗队", "何清源", "水生态环境处", "副队长", datetime(2026, 3, 5)),
    ]


def test_it_exports_one_team_when_asked(client, leader, water_team):
    other = ActionTeam.objects.get(number=2)
    TeamMembership.objects.create(team=other, user=make_person("a", "蓝天明", "大气环境处"), since=date(2026, 3, 1))
    client.force_login(leader)
    assert {row[0] for row in _rows(client.get(URL, {"team": other.pk}))[1:]} == {"“深圳蓝”特别行动队"}
    assert len(_rows(client.get(URL, {"team": "abc"}))) == 3  # a bad value exports every team


def test_it_writes_text_excel_cannot_run_as_a_formula(client, leader, water_team):
    odd = make_person("odd", "=HYPERLINK(1)", "水生态环境处")
    TeamMembership.objects.create(team=water_team, user=odd, since=date(2026, 3, 1))
    client.force_login(leader)
    names = [row[1] for row in _rows(client.get(URL))[1:]]
    assert "'=HYPERLINK(1)" in names
