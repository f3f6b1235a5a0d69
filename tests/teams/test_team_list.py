from datetime import date

from django.urls import reverse

from teams.models import ActionTeam, TeamMembership
from tests.factories import make_requirement
from tests.teams.conftest import count_queries, make_person

URL = reverse("teams:team-list")


def test_it_requires_login(client, reference):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_shows_an_account_without_a_role_no_teams(client, outsider):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert "水污染防治战斗队" not in response.content.decode()
    assert "没有可查看的行动队" in response.content.decode()


def test_it_lists_the_ten_teams_with_leader_size_and_lights(client, leader, water_team, water_staff):
    member = make_person("m1", "李队员", "水生态环境处")
    TeamMembership.objects.create(team=water_team, user=member, role="member", since=date(2026, 3, 1))
    TeamMembership.objects.create(
        team=water_team,
        user=make_person("gone", "已离队", "水生态环境处"),
        role="member",
        since=date(2026, 3, 1),
        until=date(2026, 4, 1),
    )
    make_requirement(text="黑臭水体消除", status="completed").teams.add(water_team)
    make_requirement(text="断面达标", due_date=date(2000, 1, 1)).teams.add(water_team)
    client.force_login(leader)
    response = client.get(URL)
    teams = response.context["teams"]
    assert [t.number for t in teams] == list(range(1, 11))
    water = teams[0]
    assert water.size == 2 and water.leaders == [water_staff]
    assert {code: count for code, _label, count in water.light_counts} == {
        "red": 1,
        "yellow": 0,
        "green": 0,
        "completed": 1,
    }
    page = response.content.decode()
    assert "水污染防治战斗队" in page and "water" in page and "2 人" in page
    assert "红灯 1" in page and "已完成 1" in page


def test_it_marks_illustrative_teams(client, leader):
    client.force_login(leader)
    page = client.get(URL).content.decode()
    # Illustrative in the description, not in the name (the report does not name these two teams).
    assert "（示例）" not in page
    assert page.count("示例行动队：报道未点名，仅作示例。") == 2
    assert ActionTeam.objects.filter(is_illustrative=True, name__contains="示例").count() == 0
    assert "“无废城市”建设攻坚队</a>" in page


def test_it_offers_import_only_to_administrators(client, leader, admin_user):
    client.force_login(leader)
    assert reverse("teams:roster-import") not in client.get(URL).content.decode()
    client.force_login(admin_user)
    assert reverse("teams:roster-import") in client.get(URL).content.decode()


def test_it_costs_the_same_queries_for_more_members(client, leader, water_team):
    client.force_login(leader)
    few = count_queries(client, URL)
    for n in range(40):
        TeamMembership.objects.create(
            team=water_team,
            user=make_person(f"p{n}", f"人员{n}", "水生态环境处"),
            role="member",
            since=date(2026, 3, 1),
        )
        make_requirement(text=f"要求{n}").teams.add(water_team)
    assert count_queries(client, URL) == few
