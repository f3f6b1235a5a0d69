from django.urls import reverse

from teams.models import Collective, Department
from tests.factories import make_requirement
from tests.teams.conftest import count_queries, make_person

URL = reverse("teams:department-list")


def test_it_requires_login(client, reference):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_it_shows_an_account_without_a_role_no_departments(client, outsider):
    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert "没有可查看的部门" in page and "水生态环境处" not in page


def test_it_counts_requirements_directly_and_through_collective_words(client, leader, reference):
    water = Department.objects.get(name="水生态环境处")
    futian = Department.objects.get(name="福田管理局")
    make_requirement(responsible=[water], cooperating=[Collective.objects.get(name="各管理局")])
    make_requirement(responsible=[futian])
    make_person("s1", "王水清", "水生态环境处")
    client.force_login(leader)
    response = client.get(URL)
    rows = {
        d.name: (d.responsible_count, d.cooperating_count, d.staff_count)
        for _label, departments in response.context["groups"]
        for d in departments
    }
    assert rows["水生态环境处"] == (1, 0, 1)
    assert rows["福田管理局"] == (1, 1, 0)
    assert rows["罗湖管理局"] == (0, 1, 0)
    assert "管理局" in [str(label) for label, _d in response.context["groups"]]


def test_it_costs_the_same_queries_for_more_requirements(client, leader, reference):
    client.force_login(leader)
    districts = Collective.objects.get(name="各管理局")
    make_requirement(responsible=[Department.objects.get(name="办公室")], cooperating=[districts])
    few = count_queries(client, URL)
    for n in range(20):
        make_requirement(responsible=[Department.objects.get(name="大气环境处")], cooperating=[districts])
        make_person(f"p{n}", f"人员{n}", "大气环境处")
    assert count_queries(client, URL) == few
