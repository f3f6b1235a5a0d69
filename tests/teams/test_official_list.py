from datetime import date

from django.urls import reverse

from teams.models import Official
from tests.factories import make_requirement
from tests.teams.conftest import count_queries

URL = reverse("teams:official-list")


def test_it_requires_login(client, reference):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_it_shows_an_account_without_a_role_no_officials(client, outsider):
    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert "没有可查看的主管领导" in page and "分管水副局长" not in page


def test_it_lists_officials_with_the_lights_of_their_requirements(client, water_staff, reference):
    water_chief = Official.objects.get(name="分管水副局长")
    make_requirement(officials=[water_chief], due_date=date(2000, 1, 1))
    make_requirement(officials=[water_chief], status="completed")
    client.force_login(water_staff)
    response = client.get(URL)
    counts = {o.name: {c: n for c, _l, n in o.light_counts} for o in response.context["officials"]}
    assert counts["分管水副局长"] == {"red": 1, "yellow": 0, "green": 0, "completed": 1}
    assert counts["刘初汉"] == {"red": 0, "yellow": 0, "green": 0, "completed": 0}
    assert "局长、党组书记" in response.content.decode()


def test_it_points_a_leader_to_their_own_portfolio(client, leader, reference):
    official = Official.objects.get(name="刘初汉")
    official.user = leader
    official.save()
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert "查看我的任务（刘初汉）" in page
    assert reverse("teams:official-mine") in page  # the nav link for leaders


def test_it_costs_the_same_queries_for_more_requirements(client, leader, reference):
    client.force_login(leader)
    few = count_queries(client, URL)
    for official in Official.objects.all():
        make_requirement(officials=[official])
    assert count_queries(client, URL) == few
