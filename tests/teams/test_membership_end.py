from datetime import date

import pytest
from django.urls import reverse

from teams.models import TeamMembership
from tests.teams.conftest import make_person


@pytest.fixture
def member(water_team):
    person = make_person("m1", "孙海涛", "水生态环境处")
    return TeamMembership.objects.create(team=water_team, user=person, role="member", since=date(2026, 3, 1))


def _post(client, membership, until="2026-06-30"):
    return client.post(reverse("teams:membership-end", args=[membership.team_id, membership.pk]), {"until": until})


def _until(membership):
    return TeamMembership.objects.get(pk=membership.pk).until


def test_it_requires_login_and_writes_nothing(client, member):
    response = _post(client, member)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _until(member) is None


def test_it_is_not_found_for_an_outsider(client, outsider, member):
    client.force_login(outsider)
    assert _post(client, member).status_code == 404
    assert _until(member) is None


@pytest.mark.parametrize("who", ["air_staff", "leader"])
def test_it_is_forbidden_to_others(client, request, who, member):
    client.force_login(request.getfixturevalue(who))
    assert _post(client, member).status_code == 403
    assert _until(member) is None


@pytest.mark.parametrize("who", ["water_staff", "admin_user"])
def test_it_ends_the_membership_and_keeps_it_in_the_past_roster(client, request, who, member, water_team):
    client.force_login(request.getfixturevalue(who))
    response = _post(client, member)
    assert response.status_code == 302
    assert _until(member) == date(2026, 6, 30)
    page = client.get(reverse("teams:team-detail", args=[water_team.pk])).content.decode()
    assert "历任队员" in page and "孙海涛" in page and "2026-06-30" in page


def test_it_refuses_an_end_before_the_start(client, water_staff, member):
    client.force_login(water_staff)
    response = _post(client, member, until="2026-01-01")
    assert _until(member) is None
    assert "离队日期不能早于加入日期" in client.get(response["Location"]).content.decode()


def test_it_refuses_ending_twice(client, water_staff, member):
    client.force_login(water_staff)
    _post(client, member)
    response = _post(client, member, until="2026-07-31")
    assert _until(member) == date(2026, 6, 30)
    assert "已于2026-06-30离队" in client.get(response["Location"]).content.decode()


def test_it_refuses_a_missing_date(client, water_staff, member):
    client.force_login(water_staff)
    response = _post(client, member, until="")
    assert _until(member) is None
    assert "请填写有效的离队日期" in client.get(response["Location"]).content.decode()


def test_it_stops_a_leader_who_ended_their_own_membership_from_editing(client, water_staff, water_team):
    own = TeamMembership.objects.get(team=water_team, user=water_staff)
    client.force_login(water_staff)
    _post(client, own, until="2026-04-01")
    assert client.get(reverse("teams:roster-edit", args=[water_team.pk])).status_code == 403
