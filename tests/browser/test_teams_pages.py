from datetime import date

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE, axe_violations, screenshot


@pytest.fixture
def staffed_team(sample_table, water_team, water_staff):
    from tasks.models import Requirement
    from teams.models import TeamMembership
    from tests.teams.conftest import make_person

    for n, (name, role) in enumerate([("何清源", "deputy"), ("陈碧波", "member"), ("孙海涛", "member")]):
        person = make_person(f"p{n}", name, "水生态环境处")
        TeamMembership.objects.create(
            team=water_team, user=person, role=role, since=date(2026, 3, 2), department=person.departments.first()
        )
    gone = make_person("gone", "钱立新", "水生态环境处")
    TeamMembership.objects.create(team=water_team, user=gone, since=date(2026, 3, 1), until=date(2026, 6, 30))
    water_team.requirements.add(*Requirement.objects.filter(number__in=[40, 41, 42, 43]))
    Requirement.objects.filter(number=40).update(status="completed", progress=100)
    return water_team


def _pages(staffed_team):
    from teams.models import Department, Official

    return [
        ("teams-list", reverse("teams:team-list"), "十大行动队"),
        ("team-detail", reverse("teams:team-detail", args=[staffed_team.pk]), "水污染防治战斗队"),
        (
            "department-detail",
            reverse("teams:department-detail", args=[Department.objects.get(name="水生态环境处").pk]),
            "水生态环境处",
        ),
        (
            "official-detail",
            reverse("teams:official-detail", args=[Official.objects.get(name="分管水副局长").pk]),
            "分管水副局长",
        ),
    ]


def test_it_shows_the_teams_department_and_official_pages_accessibly(new_page, live_server, leader, staffed_team):
    page = new_page(leader)
    for name, path, heading in _pages(staffed_team):
        page.goto(live_server.url + path)
        assert heading in page.locator("h1").inner_text()
        screenshot(page, f"{name}-desktop")
        assert axe_violations(page) == [], name
    page.goto(live_server.url + reverse("teams:team-detail", args=[staffed_team.pk]))
    assert page.locator("table.roster.current tbody tr").count() == 4
    assert page.locator("table.team-requirements tbody tr").count() == 4


def test_it_fits_the_pages_on_a_phone(new_page, live_server, leader, staffed_team):
    page = new_page(leader, viewport=PHONE)
    for name, path, _heading in _pages(staffed_team):
        page.goto(live_server.url + path)
        screenshot(page, f"{name}-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, name


def test_it_lets_a_team_leader_add_and_remove_a_member_in_the_browser(new_page, live_server, water_staff, staffed_team):
    from tests.teams.conftest import make_person

    make_person("newbie", "新队员", "水生态环境处")
    page = new_page(water_staff)
    page.goto(live_server.url + reverse("teams:team-detail", args=[staffed_team.pk]))
    page.click("text=维护名单")
    page.select_option("#id_user", label="新队员（水生态环境处）")
    page.fill("#id_since", "2026-04-01")
    page.click("button:has-text('加入本队')")
    assert "已将新队员加入水污染防治战斗队" in page.inner_text(".messages")
    row = page.locator("table.roster.edit tr", has_text="新队员")
    row.locator("button:has-text('离队')").click()
    assert "新队员已离队" in page.inner_text(".messages")
    screenshot(page, "roster-edit-desktop")
    assert axe_violations(page) == []
