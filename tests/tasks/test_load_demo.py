from datetime import date

from django.core.management import call_command
from django.utils import timezone

from metrics.bulletin import build_bulletin
from tasks.models import Acknowledgement, Pillar, Requirement, Task
from teams import roles
from teams.models import ActionTeam, User


def _counts():
    return (
        Pillar.objects.count(),
        Task.objects.count(),
        Requirement.objects.active().count(),
        ActionTeam.objects.count(),
    )


def test_it_loads_the_sample_table_and_the_teams(db):
    call_command("load_demo", verbosity=0)
    assert _counts() == (4, 20, 64, 10)


def test_it_is_idempotent(db):
    call_command("load_demo", verbosity=0)
    statuses = dict(Requirement.objects.values_list("number", "status"))
    call_command("load_demo", verbosity=0)
    assert _counts() == (4, 20, 64, 10)
    assert dict(Requirement.objects.values_list("number", "status")) == statuses
    assert User.objects.filter(username="water").count() == 1


def test_it_keeps_requirement_45_as_the_sheet_says(db):
    call_command("load_demo", verbosity=0)
    requirement = Requirement.objects.get(number=45)
    assert requirement.text == "完成100家挥发性有机物重点企业治理任务"
    assert requirement.deadline_text == "2026年10月底前"
    assert requirement.due_date.isoformat() == "2026-10-31"
    assert [o.name for o in requirement.lead_officials.all()] == ["分管大气副局长"]
    assert requirement.responsible_names == ["大气环境处"]
    assert requirement.cooperating_names == ["各管理局", "生态环境综合执法支队"]
    assert requirement.task.title == "打好大气污染防治攻坚战"
    assert (requirement.task.pillar.number, requirement.task.pillar.name) == (3, "锻造铁的工作作风")


def test_it_reads_deadline_phrases_and_excel_dates(db):
    call_command("load_demo", verbosity=0)
    ongoing = Requirement.objects.get(number=1)
    assert (ongoing.deadline_text, ongoing.deadline_kind) == ("长期坚持", "ongoing")
    weekly = Requirement.objects.get(number=3)
    assert (weekly.deadline_kind, weekly.recurrence) == ("recurring", "weekly")
    dated = Requirement.objects.get(number=7)  # an Excel date cell
    assert dated.due_date.isoformat() == "2026-01-31"


def test_it_creates_a_user_for_each_role(db):
    call_command("load_demo", verbosity=0)
    assert set(User.objects.get(username="water").departments.values_list("name", flat=True)) == {"水生态环境处"}
    assert set(User.objects.get(username="air").departments.values_list("name", flat=True)) == {"大气环境处"}
    assert User.objects.get(username="leader").role_names == {roles.LEADER}
    assert User.objects.get(username="admin").role_names == {roles.ADMINISTRATOR}


def test_it_mixes_statuses_so_the_dashboard_is_not_one_colour(db):
    call_command("load_demo", verbosity=0)
    lights = Requirement.objects.active().lights(on=timezone.localdate())
    assert {light.code for light in lights.values()} >= {"red", "green", "completed"}
    assert Requirement.objects.values("status").distinct().count() >= 2


def _roster(number):
    from teams.models import TeamMembership

    return TeamMembership.objects.filter(team__number=number, until__isnull=True)


def test_it_staffs_every_team_with_a_leader_and_deputies(db):
    call_command("load_demo", verbosity=0)
    for team in ActionTeam.objects.all():
        roles = list(_roster(team.number).values_list("role", flat=True))
        assert roles.count("leader") == 1 and roles.count("deputy") >= 1, team.name
    monitors = _roster(8)
    assert monitors.count() == 18
    assert set(monitors.values_list("department__name", flat=True)) == {"深圳市环境监测中心站"}
    assert _roster(1).get(role="leader").user.username == "water"
    assert User.objects.get(username="jc01").check_password("tieju-demo-2026")


def test_it_links_each_team_to_the_requirements_it_carries(db):
    call_command("load_demo", verbosity=0)

    def linked(number):
        return sorted(ActionTeam.objects.get(number=number).requirements.values_list("number", flat=True))

    assert linked(1) == [40, 41, 42, 43]
    assert linked(2) == [44, 45, 46, 59]
    assert linked(3) == [31, 32, 33]
    assert linked(4) == [37, 38, 39]
    assert linked(5) == [55]
    assert linked(6) == [20, 21]
    assert linked(7) == [23, 24, 25, 26, 47, 48, 49]
    assert linked(8) == [27, 28, 29, 30, 43]


def test_it_keeps_roster_edits_and_links_on_a_second_run(db):
    from teams.models import TeamMembership

    call_command("load_demo", verbosity=0)
    water = ActionTeam.objects.get(number=1)
    water.requirements.remove(*water.requirements.filter(number=43))
    TeamMembership.objects.filter(team=water, user__username="futian").update(until=timezone.localdate())
    counts = (User.objects.count(), TeamMembership.objects.count())
    call_command("load_demo", verbosity=0)
    assert (User.objects.count(), TeamMembership.objects.count()) == counts
    assert 43 not in water.requirements.values_list("number", flat=True)
    assert not _roster(1).filter(user__username="futian").exists()


def test_it_signs_for_the_table_when_it_took_effect_leaving_a_few_for_the_todo_list(db):
    """The departments signed for the table's items on the first working day after it took effect, so
    each month's bulletin has a 签收率 to state; the few left unsigned were assigned now."""
    call_command("load_demo", verbosity=0)
    now = timezone.now()
    signed = Acknowledgement.objects.filter(signed_at__isnull=False)
    pending = Acknowledgement.objects.filter(signed_at__isnull=True)
    assert signed.exists() and not signed.filter(signed_at__gt=now).exists()
    assert {timezone.localdate(a.signed_at) for a in signed} == {date(2026, 1, 2)}  # 01-01 is a Thursday
    assert {timezone.localdate(a.assigned_at) for a in signed} == {date(2026, 1, 1)}
    assert {a.requirement.number % 13 for a in pending} == {0}
    june = build_bulletin(2026, 6)["signing"]
    assert (june["owed"], june["signed"], june["rate"], june["late"]) == (signed.count(), signed.count(), "100.0", [])
