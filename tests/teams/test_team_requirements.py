import pytest
from django.urls import reverse

from tests.factories import make_requirement


@pytest.fixture
def requirements(water_team):
    linked = make_requirement(text="黑臭水体消除")
    linked.teams.add(water_team)
    return linked, make_requirement(text="断面水质达标")


def _post(client, team, *requirements):
    return client.post(
        reverse("teams:team-requirements", args=[team.pk]), {"requirements": [r.pk for r in requirements]}
    )


def _linked(team):
    return set(team.requirements.values_list("text", flat=True))


def test_it_requires_login_and_writes_nothing(client, water_team, requirements):
    response = _post(client, water_team, requirements[1])
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _linked(water_team) == {"黑臭水体消除"}


def test_it_is_not_found_for_an_outsider(client, outsider, water_team, requirements):
    client.force_login(outsider)
    assert _post(client, water_team, requirements[1]).status_code == 404
    assert _linked(water_team) == {"黑臭水体消除"}


@pytest.mark.parametrize("who", ["water_staff", "leader"])
def test_it_is_forbidden_to_non_administrators_even_the_team_leader(client, request, who, water_team, requirements):
    client.force_login(request.getfixturevalue(who))
    assert _post(client, water_team, requirements[1]).status_code == 403
    assert _linked(water_team) == {"黑臭水体消除"}


def test_it_lets_an_administrator_replace_the_links(client, admin_user, water_team, requirements):
    client.force_login(admin_user)
    response = _post(client, water_team, requirements[1])
    assert response.status_code == 302
    assert _linked(water_team) == {"断面水质达标"}
    page = client.get(response["Location"]).content.decode()
    assert "新增1项，取消1项" in page and "断面水质达标" in page


def test_it_keeps_links_to_retired_requirements(client, admin_user, water_team, requirements):
    from django.utils import timezone

    retired = make_requirement(text="已停用要求", retired_at=timezone.now())
    retired.teams.add(water_team)
    client.force_login(admin_user)
    _post(client, water_team)
    assert _linked(water_team) == {"已停用要求"}


def test_it_refuses_an_unknown_requirement_without_writing(client, admin_user, water_team, requirements):
    client.force_login(admin_user)
    response = client.post(reverse("teams:team-requirements", args=[water_team.pk]), {"requirements": ["999999"]})
    assert response.status_code == 302
    assert _linked(water_team) == {"黑臭水体消除"}
    assert "所选具体要求无效" in client.get(response["Location"]).content.decode()


def test_it_accepts_only_post(client, admin_user, water_team):
    client.force_login(admin_user)
    assert client.get(reverse("teams:team-requirements", args=[water_team.pk])).status_code == 405
