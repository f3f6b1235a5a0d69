"""The roster write functions, called directly."""

from datetime import date

import pytest

from teams.models import ActionTeam, TeamMembership
from teams.rosters import RosterError, may_edit_roster, membership_add, membership_change_role, membership_end
from tests.teams.conftest import make_person


def test_it_takes_the_persons_department_when_none_is_given(reference):
    person = make_person("p", "某人", "大气环境处")
    membership = membership_add(
        team=ActionTeam.objects.get(number=2), user=person, role="member", since=date(2026, 3, 1)
    )
    assert membership.department.name == "大气环境处"


def test_it_refuses_a_second_open_membership(water_team, water_staff):
    with pytest.raises(RosterError):
        membership_add(team=water_team, user=water_staff, role="member", since=date(2026, 4, 1))
    assert TeamMembership.objects.filter(team=water_team).count() == 1


def test_it_keeps_history_across_role_changes_and_leaving(water_team, water_staff):
    membership = TeamMembership.objects.get(team=water_team, user=water_staff)
    deputy = membership_change_role(membership=membership, role="deputy", on=date(2026, 5, 1))
    membership_end(membership=deputy, until=date(2026, 8, 31))
    assert list(
        TeamMembership.objects.filter(user=water_staff).order_by("since").values_list("role", "since", "until")
    ) == [
        ("leader", date(2026, 3, 1), date(2026, 4, 30)),
        ("deputy", date(2026, 5, 1), date(2026, 8, 31)),
    ]


def test_it_lets_only_administrators_and_the_open_leader_edit(
    water_team, water_staff, air_staff, admin_user, superuser, leader, outsider
):
    assert may_edit_roster(water_staff, water_team)
    assert may_edit_roster(admin_user, water_team) and may_edit_roster(superuser, water_team)
    assert not may_edit_roster(air_staff, water_team)
    assert not may_edit_roster(leader, water_team)
    assert not may_edit_roster(outsider, water_team)
    TeamMembership.objects.filter(user=water_staff).update(role="deputy")
    assert not may_edit_roster(water_staff, water_team)
