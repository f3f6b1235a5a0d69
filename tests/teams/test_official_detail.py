from datetime import date

from django.urls import reverse

from teams.models import Official
from tests.factories import make_requirement
from tests.teams.conftest import count_queries


def _url(name):
    return reverse("teams:official-detail", args=[Official.objects.get(name=name).pk])


def test_it_requires_login(client, reference):
    assert client.get(_url("刘初汉"))["Location"].startswith(reverse("login"))


def test_it_is_not_found_for_an_account_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(_url("刘初汉")).status_code == 404
    assert client.get(reverse("teams:official-detail", args=[99999])).status_code == 404


def test_it_groups_the_portfolio_by_light(client, water_staff, reference):
    chief = Official.objects.get(name="分管水副局长")
    make_requirement(text="逾期的要求", officials=[chief], due_date=date(2000, 1, 1))
    make_requirement(text="已完成的要求", officials=[chief], status="completed")
    make_requirement(text="别人的要求", officials=[Official.objects.get(name="分管大气副局长")])
    client.force_login(water_staff)
    response = client.get(_url("分管水副局长"))
    groups = {code: [r.text for r in items] for code, _label, items in response.context["groups"]}
    assert groups == {"red": ["逾期的要求"], "yellow": [], "green": [], "completed": ["已完成的要求"]}
    page = response.content.decode()
    assert "主管 2 项具体要求" in page and "别人的要求" not in page
    assert page.index("逾期的要求") < page.index("已完成的要求")  # red first


def test_it_calls_a_leaders_own_page_my_portfolio(client, leader, reference):
    official = Official.objects.get(name="刘初汉")
    official.user = leader
    official.save()
    client.force_login(leader)
    assert "我的任务：刘初汉" in client.get(_url("刘初汉")).content.decode()
    response = client.get(reverse("teams:official-mine"))
    assert response.status_code == 302 and response["Location"] == _url("刘初汉")


def test_it_sends_a_leader_without_an_official_entry_to_the_list(client, leader, reference):
    client.force_login(leader)
    response = client.get(reverse("teams:official-mine"))
    assert response["Location"] == reverse("teams:official-list")
    assert "尚未关联主管领导" in client.get(response["Location"]).content.decode()


def test_it_hides_my_portfolio_from_an_account_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("teams:official-mine")).status_code == 404


def test_it_costs_the_same_queries_for_more_requirements(client, leader, reference):
    chief = Official.objects.get(name="分管水副局长")
    make_requirement(officials=[chief])
    client.force_login(leader)
    few = count_queries(client, _url("分管水副局长"))
    for n in range(30):
        make_requirement(officials=[chief], due_date=date(2000 + n, 1, 1))
    assert count_queries(client, _url("分管水副局长")) == few
