import pytest
from django.urls import reverse

from tasks.models import Pillar, Requirement
from teams.models import Department

URL = reverse("tasks:dashboard")


def _numbers(response):
    return sorted(row.record.number for row in response.context["table"].paginated_rows)


def test_it_requires_login(client, sample_table):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_nothing_to_an_account_without_a_role(client, outsider, sample_table):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0


def test_it_shows_staff_all_64_requirements_with_deadlines_officials_and_departments(client, water_staff, sample_table):
    client.force_login(water_staff)
    response = client.get(URL, {"department": "", "per_page": 100})
    assert response.context["table"].paginator.count == 64
    page = response.content.decode()
    assert "完成100家挥发性有机物重点企业治理任务" in page
    assert "2026年10月底前" in page and "分管大气副局长" in page and "大气环境处" in page


def test_it_filters_by_pillar(client, leader, sample_table):
    client.force_login(leader)
    pillar = Pillar.objects.get(number=4)
    response = client.get(URL, {"pillar": pillar.pk, "per_page": 100})
    expected = sorted(Requirement.objects.filter(task__pillar=pillar).values_list("number", flat=True))
    assert _numbers(response) == expected and len(expected) > 0


def test_it_filters_by_department_including_collective_words(client, leader, sample_table):
    client.force_login(leader)
    futian = Department.objects.get(name="福田管理局")
    response = client.get(URL, {"department": futian.pk, "per_page": 100})
    numbers = _numbers(response)
    assert 60 in numbers  # responsible
    assert 45 in numbers  # cooperating through 各管理局
    assert 1 not in numbers


def test_it_filters_by_status(client, leader, sample_table):
    Requirement.objects.filter(number__in=[2, 5]).update(status="completed")
    client.force_login(leader)
    response = client.get(URL, {"status": "completed", "per_page": 100})
    assert _numbers(response) == [2, 5]


@pytest.mark.parametrize("sort, first", [("number", 1), ("-number", 64)])
def test_it_sorts(client, leader, sample_table, sort, first):
    client.force_login(leader)
    response = client.get(URL, {"sort": sort})
    assert next(iter(response.context["table"].paginated_rows)).record.number == first


def test_it_paginates(client, leader, sample_table):
    client.force_login(leader)
    response = client.get(URL, {"page": 3})
    assert _numbers(response) == list(range(51, 65))


def test_it_filters_by_action_team(client, leader, sample_table):
    from teams.models import ActionTeam

    team = ActionTeam.objects.get(number=1)
    team.requirements.add(*Requirement.objects.filter(number__in=[41, 42]))
    client.force_login(leader)
    response = client.get(URL, {"team": team.pk, "per_page": 100})
    assert _numbers(response) == [41, 42]
    assert "水污染防治战斗队" in response.content.decode()  # offered in the filter form
