"""Planning a roster import over a RosterState built in memory: no database (pytest-django refuses queries)."""

from datetime import date

from teams.importing.plan import RosterState, plan_roster
from teams.models import ActionTeam, TeamMembership, User

HEADER = (1, ("行动队", "姓名", "所在部门", "队内职务", "加入日期"))


def _state():
    team = ActionTeam(pk=1, number=1, name="水污染防治战斗队")
    zhang, li = User(pk=1, username="zhang", display_name="张三"), User(pk=2, username="li", display_name="李四")
    memberships = [
        TeamMembership(pk=1, team=team, user=zhang, role=TeamMembership.Role.MEMBER, since=date(2026, 1, 1)),
        TeamMembership(pk=2, team=team, user=li, role=TeamMembership.Role.MEMBER, since=date(2026, 1, 1)),
    ]
    return RosterState(teams={team.name: team}, people={"张三": [zhang], "李四": [li]}, memberships=memberships)


def test_it_plans_a_changed_role_a_leaver_and_an_unknown_person():
    rows = [
        HEADER,
        (2, ("水污染防治战斗队", "张三", None, "队长", "2026-01-01")),
        (3, ("水污染防治战斗队", "王五", None, "队员", "2026-03-01")),
    ]
    plan = plan_roster(rows, state=_state())
    assert plan.errors == [] and plan.unknown_people == [(3, "王五", "")]
    assert [(c.row.user.username, c.fields) for c in plan.changed] == [("zhang", {"队内职务": ("队员", "队长")})]
    assert [m.user.username for m in plan.ended] == ["li"]


def test_it_names_the_row_and_column_of_an_unknown_role():
    rows = [HEADER, (2, ("水污染防治战斗队", "张三", None, "组长", "2026-01-01"))]
    plan = plan_roster(rows, state=_state())
    assert [str(e) for e in plan.errors] == ["第2行「队内职务」：无法识别的职务“组长”：应为队长、副队长或队员"]
