from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from tasks.models import JournalEntry
from teams.models import ActionTeam, TeamMembership
from tests.factories import make_requirement
from tests.teams.conftest import count_queries, make_person


def _url(team):
    return reverse("teams:team-detail", args=[team.pk])


def test_it_requires_login(client, water_team):
    response = client.get(_url(water_team))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_is_not_found_for_an_account_without_a_role(client, outsider, water_team):
    client.force_login(outsider)
    assert client.get(_url(water_team)).status_code == 404


def test_it_is_not_found_for_a_team_that_does_not_exist(client, leader):
    client.force_login(leader)
    assert client.get(reverse("teams:team-detail", args=[9999])).status_code == 404


def test_it_shows_mission_code_leader_deputies_and_members(client, air_staff, water_team, water_staff):
    deputy = make_person("d1", "何清源", "水生态环境处")
    TeamMembership.objects.create(
        team=water_team, user=deputy, role="deputy", since=date(2026, 3, 2), department=deputy.departments.first()
    )
    monitor = ActionTeam.objects.get(number=8)
    client.force_login(air_staff)
    page = client.get(_url(water_team)).content.decode()
    assert "黑臭水体消黑" in page  # the mission
    assert "何清源" in page and "副队长" in page and "2026-03-02" in page and "水生态环境处" in page
    assert client.get(_url(monitor)).content.decode().count("第一时间") == 5  # the 五个一 code


def test_it_keeps_the_past_roster_visible(client, leader, water_team):
    gone = make_person("gone", "离队人", "水生态环境处")
    TeamMembership.objects.create(
        team=water_team, user=gone, role="member", since=date(2026, 3, 1), until=date(2026, 5, 31)
    )
    client.force_login(leader)
    response = client.get(_url(water_team))
    assert [m.user for m in response.context["past"]] == [gone]
    assert gone not in [m.user for m in response.context["current"]]
    assert "历任队员" in response.content.decode() and "2026-05-31" in response.content.decode()


def test_it_lists_linked_requirements_with_lights_and_recent_journal(client, leader, water_team, water_staff):
    late = make_requirement(text="全市黑臭水体全部消除黑臭", due_date=date(2000, 1, 1))
    done = make_requirement(text="完成小微黑臭水体整治", status="completed")
    other = make_requirement(text="与本队无关的要求")
    late.teams.add(water_team)
    done.teams.add(water_team)
    JournalEntry.objects.create(
        requirement=late,
        kind="report",
        author=water_staff,
        note="正在加紧推进消黑工作",
        created_at=timezone.now() - timedelta(days=1),
    )
    JournalEntry.objects.create(requirement=other, kind="report", author=water_staff, note="无关日志")
    client.force_login(leader)
    response = client.get(_url(water_team))
    page = response.content.decode()
    assert "全市黑臭水体全部消除黑臭" in page and "完成小微黑臭水体整治" in page
    assert "与本队无关的要求" not in page
    assert {r.text: r.current_light.code for r in response.context["requirements"]} == {
        "全市黑臭水体全部消除黑臭": "red",
        "完成小微黑臭水体整治": "completed",
    }
    assert "正在加紧推进消黑工作" in page and "无关日志" not in page


def test_it_offers_roster_editing_to_the_team_leader_only(client, water_team, water_staff, air_staff):
    edit = reverse("teams:roster-edit", args=[water_team.pk])
    client.force_login(water_staff)
    assert edit in client.get(_url(water_team)).content.decode()
    client.force_login(air_staff)
    assert edit not in client.get(_url(water_team)).content.decode()


def test_it_shows_the_link_form_to_administrators_only(client, water_team, admin_user, leader):
    action = reverse("teams:team-requirements", args=[water_team.pk])
    client.force_login(leader)
    assert action not in client.get(_url(water_team)).content.decode()
    client.force_login(admin_user)
    assert action in client.get(_url(water_team)).content.decode()


def test_it_costs_the_same_queries_with_5_or_50_members(client, leader, reference):
    team = ActionTeam.objects.get(number=8)
    people = [make_person(f"p{n}", f"人员{n}", "深圳市环境监测中心站") for n in range(50)]
    requirement = make_requirement(text="监测任务")
    requirement.teams.add(team)
    for person in people[:5]:
        TeamMembership.objects.create(
            team=team, user=person, role="member", since=date(2026, 3, 1), department=person.departments.first()
        )
    JournalEntry.objects.create(requirement=requirement, kind="report", author=people[0], note="日志")
    client.force_login(leader)
    five = count_queries(client, _url(team))
    for person in people[5:]:
        TeamMembership.objects.create(
            team=team,
            user=person,
            role="member",
            since=date(2026, 3, 1),
            until=date(2026, 6, 1) if person.pk % 2 else None,
            department=person.departments.first(),
        )
        make_requirement(text=f"要求{person.pk}").teams.add(team)
        JournalEntry.objects.create(requirement=requirement, kind="report", author=person, note="日志")
    assert count_queries(client, _url(team)) == five


def test_it_links_to_the_dashboard_filtered_by_the_team(client, leader, water_team):
    client.force_login(leader)
    assert f"{reverse('tasks:dashboard')}?team={water_team.pk}" in client.get(_url(water_team)).content.decode()


def test_it_links_journal_items_to_their_requirement(client, leader, water_team, water_staff):
    requirement = make_requirement(text="茅洲河攻坚")
    requirement.teams.add(water_team)
    JournalEntry.objects.create(requirement=requirement, kind="report", author=water_staff, note="完成第一阶段")
    client.force_login(leader)
    page = client.get(_url(water_team)).content.decode()
    link = reverse("tasks:requirement-detail", args=[requirement.pk])
    assert f'href="{link}#journal"' in page and f'<a href="{link}">茅洲河攻坚</a>' in page


def test_it_names_each_language_in_its_own_script(client, leader, water_team):
    client.force_login(leader)
    page = client.get(_url(water_team)).content.decode()
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="zh-hans" lang="zh-hans" selected>简体中文</option>' in page
    assert "英语" not in page
