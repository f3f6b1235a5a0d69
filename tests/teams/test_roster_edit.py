from datetime import date

import pytest
from django.urls import reverse

from teams.models import TeamMembership
from tests.teams.conftest import make_person


def _url(team):
    return reverse("teams:roster-edit", args=[team.pk])


@pytest.fixture
def newcomer(reference):
    return make_person("newcomer", "陈碧波", "水生态环境处")


def _add(client, team, person, **fields):
    data = {"user": person.pk, "role": "member", "since": "2026-04-01", **fields}
    return client.post(_url(team), data)


def _names(team):
    return set(
        TeamMembership.objects.filter(team=team, until__isnull=True).values_list("user__display_name", flat=True)
    )


def test_it_requires_login_and_writes_nothing(client, water_team, newcomer):
    assert client.get(_url(water_team))["Location"].startswith(reverse("login"))
    response = _add(client, water_team, newcomer)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _names(water_team) == {"water"}


def test_it_is_not_found_for_an_outsider(client, outsider, water_team, newcomer):
    client.force_login(outsider)
    assert client.get(_url(water_team)).status_code == 404
    assert _add(client, water_team, newcomer).status_code == 404
    assert _names(water_team) == {"water"}


@pytest.mark.parametrize("who", ["air_staff", "leader"])
def test_it_is_forbidden_to_anyone_but_administrators_and_the_team_leader(client, request, who, water_team, newcomer):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(water_team)).status_code == 403
    assert _add(client, water_team, newcomer).status_code == 403
    assert _names(water_team) == {"water"}


def test_it_forbids_a_former_leader(client, water_team, water_staff, newcomer):
    TeamMembership.objects.filter(user=water_staff).update(until=date(2026, 4, 1))
    client.force_login(water_staff)
    assert client.get(_url(water_team)).status_code == 403


def test_it_forbids_the_leader_of_another_team(client, water_team, air_staff, newcomer):
    from teams.models import ActionTeam

    TeamMembership.objects.create(
        team=ActionTeam.objects.get(number=2), user=air_staff, role="leader", since=date(2026, 3, 1)
    )
    client.force_login(air_staff)
    assert _add(client, water_team, newcomer).status_code == 403
    assert _names(water_team) == {"water"}


@pytest.mark.parametrize("who", ["water_staff", "admin_user"])
def test_it_lets_the_team_leader_and_administrators_add_a_member(client, request, who, water_team, newcomer):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(water_team)).status_code == 200
    response = _add(client, water_team, newcomer, role="deputy")
    assert response.status_code == 302
    membership = TeamMembership.objects.get(team=water_team, user=newcomer)
    assert (membership.role, membership.since, membership.until) == ("deputy", date(2026, 4, 1), None)
    assert membership.department.name == "水生态环境处"  # taken from the person's department
    page = client.get(response["Location"]).content.decode()
    assert "已将陈碧波加入水污染防治战斗队" in page


def test_it_refuses_someone_already_on_the_team(client, water_staff, water_team):
    client.force_login(water_staff)
    response = _add(client, water_team, water_staff)
    assert response.status_code == 400
    assert "已在本队名单中" in response.content.decode()
    assert TeamMembership.objects.filter(team=water_team).count() == 1


@pytest.mark.parametrize("fields", [{"since": "2026-02-30"}, {"role": "captain"}, {"user": "999999"}, {"user": "x"}])
def test_it_shows_form_errors_for_bad_input(client, water_staff, water_team, newcomer, fields):
    client.force_login(water_staff)
    response = _add(client, water_team, newcomer, **fields)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert _names(water_team) == {"water"}


def test_it_lets_someone_rejoin_after_leaving(client, water_staff, water_team, newcomer):
    TeamMembership.objects.create(team=water_team, user=newcomer, since=date(2026, 3, 1), until=date(2026, 3, 31))
    client.force_login(water_staff)
    _add(client, water_team, newcomer)
    assert TeamMembership.objects.filter(team=water_team, user=newcomer).count() == 2


def test_it_fills_the_date_pickers_with_todays_date(client, water_staff, water_team):
    from django.utils import timezone

    client.force_login(water_staff)
    page = client.get(_url(water_team)).content.decode()
    assert f'name="since" value="{timezone.localdate():%Y-%m-%d}"' in page
