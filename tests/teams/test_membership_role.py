from datetime import date

import pytest
from django.urls import reverse

from teams.models import TeamMembership
from tests.teams.conftest import make_person


@pytest.fixture
def member(water_team):
    person = make_person("m1", "孙海涛", "水生态环境处")
    return TeamMembership.objects.create(team=water_team, user=person, role="member", since=date(2026, 3, 1))


def _post(client, membership, role="deputy", on="2026-06-01"):
    url = reverse("teams:membership-role", args=[membership.team_id, membership.pk])
    return client.post(url, {"role": role, "on": on})


def _roles(membership):
    return list(
        TeamMembership.objects.filter(user=membership.user).order_by("since").values_list("role", "since", "until")
    )


UNCHANGED = [("member", date(2026, 3, 1), None)]


def test_it_requires_login_and_writes_nothing(client, member):
    response = _post(client, member)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _roles(member) == UNCHANGED


def test_it_is_not_found_for_an_outsider(client, outsider, member):
    client.force_login(outsider)
    assert _post(client, member).status_code == 404
    assert _roles(member) == UNCHANGED


@pytest.mark.parametrize("who", ["air_staff", "leader"])
def test_it_is_forbidden_to_others(client, request, who, member):
    client.force_login(request.getfixturevalue(who))
    assert _post(client, member).status_code == 403
    assert _roles(member) == UNCHANGED


@pytest.mark.parametrize("who", ["water_staff", "admin_user"])
def test_it_ends_the_old_role_and_starts_the_new_one(client, request, who, member):
    client.force_login(request.getfixturevalue(who))
    response = _post(client, member)
    assert response.status_code == 302
    assert _roles(member) == [("member", date(2026, 3, 1), date(2026, 5, 31)), ("deputy", date(2026, 6, 1), None)]
    assert "已调整孙海涛的队内职务" in client.get(response["Location"]).content.decode()


def test_it_corrects_in_place_on_the_first_day(client, water_staff, member):
    client.force_login(water_staff)
    _post(client, member, on="2026-03-01")
    assert _roles(member) == [("deputy", date(2026, 3, 1), None)]


def test_it_refuses_a_date_before_joining(client, water_staff, member):
    client.force_login(water_staff)
    response = _post(client, member, on="2026-01-01")
    assert _roles(member) == UNCHANGED
    assert "调整日期不能早于加入日期" in client.get(response["Location"]).content.decode()


def test_it_refuses_bad_input_without_writing(client, water_staff, member):
    client.force_login(water_staff)
    response = _post(client, member, role="boss", on="yesterday")
    assert response.status_code == 302
    assert _roles(member) == UNCHANGED
    assert "请填写有效的职务和生效日期" in client.get(response["Location"]).content.decode()


def test_it_is_not_found_for_a_membership_of_another_team(client, water_staff, water_team, reference):
    from teams.models import ActionTeam

    other = TeamMembership.objects.create(
        team=ActionTeam.objects.get(number=2), user=make_person("x", "某人"), since=date(2026, 3, 1)
    )
    client.force_login(water_staff)
    url = reverse("teams:membership-role", args=[water_team.pk, other.pk])
    assert client.post(url, {"role": "deputy", "on": "2026-06-01"}).status_code == 404
    assert TeamMembership.objects.get(pk=other.pk).role == "member"
