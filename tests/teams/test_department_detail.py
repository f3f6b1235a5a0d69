from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from tasks.models import JournalEntry
from teams.models import ActionTeam, Collective, Department, TeamMembership
from tests.factories import make_requirement
from tests.teams.conftest import count_queries, make_person


def _url(name):
    return reverse("teams:department-detail", args=[Department.objects.get(name=name).pk])


def test_it_requires_login(client, reference):
    assert client.get(_url("水生态环境处"))["Location"].startswith(reverse("login"))


def test_it_is_not_found_for_an_account_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(_url("水生态环境处")).status_code == 404
    assert client.get(reverse("teams:department-detail", args=[99999])).status_code == 404


def test_it_shows_responsible_and_cooperating_requirements_and_how_they_reach_it(client, leader, reference):
    futian = Department.objects.get(name="福田管理局")
    districts = Collective.objects.get(name="各管理局")
    make_requirement(text="岗厦北噪声联合整治", responsible=[futian])
    make_requirement(
        text="VOCs企业治理", responsible=[Department.objects.get(name="大气环境处")], cooperating=[districts]
    )
    make_requirement(
        text="施工噪声投诉下降",
        responsible=[Department.objects.get(name="大气环境处")],
        cooperating=[futian, districts],
    )
    make_requirement(text="无关要求", responsible=[Department.objects.get(name="办公室")])
    client.force_login(leader)
    response = client.get(_url("福田管理局"))
    assert [r.text for r in response.context["responsible"]] == ["岗厦北噪声联合整治"]
    assert {r.text: r.via for r in response.context["cooperating"]} == {
        "VOCs企业治理": "各管理局",
        "施工噪声投诉下降": "",
    }
    page = response.content.decode()
    assert "经“各管理局”" in page and "直接点名" in page and "无关要求" not in page


def test_it_lists_staff_and_the_teams_they_serve_on(client, leader, water_team, water_staff):
    colleague = make_person("c", "何清源", "水生态环境处")
    TeamMembership.objects.create(
        team=ActionTeam.objects.get(number=8), user=colleague, role="deputy", since=date(2026, 3, 1)
    )
    TeamMembership.objects.create(
        team=ActionTeam.objects.get(number=3), user=colleague, since=date(2026, 3, 1), until=date(2026, 3, 31)
    )
    client.force_login(leader)
    response = client.get(_url("水生态环境处"))
    assert [str(p) for p in response.context["staff"]] == ["water", "何清源"]
    assert [(t.number, [str(m.user) for m in ms]) for t, ms in response.context["teams"]] == [
        (1, ["water"]),
        (8, ["何清源"]),
    ]
    page = response.content.decode()
    assert "环境监测模范先锋队" in page and "何清源（副队长）" in page
    assert "突发环境事件应急处置队" not in page  # a membership that has ended


def _done(requirement, *, on, author=None):
    requirement.status, requirement.progress = "completed", 100
    requirement.updated_at = timezone.make_aware(datetime.combine(on, datetime.min.time()))
    requirement.save()
    JournalEntry.objects.create(
        requirement=requirement,
        kind="report",
        status_after="completed",
        created_at=timezone.make_aware(datetime.combine(on, datetime.min.time()) + timedelta(hours=10)),
    )


def test_it_shows_the_on_time_record(client, leader, reference):
    water = Department.objects.get(name="水生态环境处")
    today = timezone.localdate()
    on_time = make_requirement(responsible=[water], due_date=today - timedelta(days=30))
    _done(on_time, on=today - timedelta(days=30))
    late = make_requirement(responsible=[water], due_date=today - timedelta(days=30))
    _done(late, on=today - timedelta(days=10))
    make_requirement(responsible=[water], due_date=today - timedelta(days=5))  # overdue, open
    postponed = make_requirement(
        responsible=[water], due_date=today - timedelta(days=40), postponed_to=today - timedelta(days=1)
    )
    _done(postponed, on=today - timedelta(days=2))  # on time against the approved postponement
    make_requirement(responsible=[water], due_date=today + timedelta(days=30))  # not due yet
    make_requirement(
        cooperating=[water], responsible=[Department.objects.get(name="办公室")], due_date=today - timedelta(days=30)
    )  # cooperating only: not this department's record
    client.force_login(leader)
    response = client.get(_url("水生态环境处"))
    record = response.context["record"]
    assert (record.due, record.on_time, record.late, record.open_overdue, record.percent) == (4, 2, 1, 1, 50)
    assert "按期完成 2 / 已到期 4（50%）" in response.content.decode()


def test_it_says_when_nothing_is_due_yet(client, leader, reference):
    client.force_login(leader)
    assert "尚无到期项" in client.get(_url("信访办")).content.decode()


def test_it_costs_the_same_queries_for_more_staff_requirements_and_members(client, leader, water_team):
    water = Department.objects.get(name="水生态环境处")
    make_requirement(responsible=[water], cooperating=[Collective.objects.get(name="各处室")])
    client.force_login(leader)
    few = count_queries(client, _url("水生态环境处"))
    for n in range(20):
        person = make_person(f"p{n}", f"人员{n}", "水生态环境处")
        TeamMembership.objects.create(
            team=ActionTeam.objects.get(number=n % 10 + 1), user=person, since=date(2026, 3, 1)
        )
        make_requirement(responsible=[water], due_date=date(2026, 1, 1))
        make_requirement(responsible=[Department.objects.get(name="办公室")], cooperating=[water])
    assert count_queries(client, _url("水生态环境处")) == few


def test_it_links_each_requirement_to_its_page(client, leader, reference):
    futian = Department.objects.get(name="福田管理局")
    requirement = make_requirement(text="岗厦北噪声联合整治", responsible=[futian])
    client.force_login(leader)
    page = client.get(_url("福田管理局")).content.decode()
    link = reverse("tasks:requirement-detail", args=[requirement.pk])
    assert f'<a href="{link}">岗厦北噪声联合整治</a>' in page
    assert client.get(link).status_code == 200
