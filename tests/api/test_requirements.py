"""GET /api/v1/requirements/: the dashboard's rows, filters, lights and names, paginated."""

from datetime import date

import pytest
from django.utils import timezone

from tasks.models import Requirement
from teams.models import Collective, Department, Official
from tests.api.conftest import session_client, token_client
from tests.factories import make_requirement


def test_it_answers_a_page_with_count_and_results(sample_table, leader):
    answer = token_client(leader).get("/api/v1/requirements/?page_size=10")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 64
    assert len(body["results"]) == 10
    assert [r["number"] for r in body["results"]] == list(range(1, 11))
    assert body["next"].endswith("/api/v1/requirements/?page=2&page_size=10")
    assert body["previous"] is None
    last = token_client(leader).get("/api/v1/requirements/?page_size=10&page=7").json()
    assert [r["number"] for r in last["results"]] == [61, 62, 63, 64]


def test_it_caps_the_page_size(sample_table, leader, settings):
    settings.TIEJU_API_MAX_PAGE_SIZE = 20
    assert len(token_client(leader).get("/api/v1/requirements/?page_size=1000").json()["results"]) == 20


def test_it_gives_light_next_due_departments_and_officials(reference, leader, requirement, water, air):
    # Worked by hand: due 2026-01-31, not completed, so on any day after it the light is red (overdue).
    official = Official.objects.get(name="分管水副局长")
    overdue = make_requirement(
        text="逾期的要求", responsible=[water], cooperating=[air], due_date=date(2026, 1, 31), officials=[official]
    )
    districts = make_requirement(
        text="各管理局的要求", responsible=[Collective.objects.get(name="各管理局")], due_date=date(2026, 1, 31)
    )
    rows = {r["id"]: r for r in token_client(leader).get("/api/v1/requirements/").json()["results"]}
    row = rows[overdue.pk]
    assert row["light"] == {"code": "red", "label": "红灯", "reason": "overdue", "reason_label": "已逾期"}
    assert row["next_due"] == "2026-01-31"
    assert row["responsible"] == [{"name": "水生态环境处", "department": water.pk, "collective": None}]
    assert row["responsible_departments"] == [{"id": water.pk, "name": "水生态环境处"}]
    assert row["cooperating_departments"] == [{"id": air.pk, "name": "大气环境处"}]
    assert row["lead_officials"] == [{"id": official.pk, "name": "分管水副局长"}]
    assert row["web_url"] == f"/requirements/{overdue.pk}/"
    district_names = set(Department.objects.filter(kind="district", is_active=True).values_list("name", flat=True))
    assert len(district_names) > 1
    assert rows[districts.pk]["responsible"][0]["name"] == "各管理局"
    assert {d["name"] for d in rows[districts.pk]["responsible_departments"]} == district_names


def test_it_gives_every_row_the_light_the_requirement_page_shows(sample_table, leader):
    today = timezone.localdate()
    rows = token_client(leader).get("/api/v1/requirements/?page_size=100").json()["results"]
    assert len(rows) == 64
    for row in rows:
        requirement = Requirement.objects.select_related("breakdown").get(pk=row["id"])
        light = requirement.light(on=today)
        assert (row["light"]["code"], row["light"]["reason"]) == (light.code, light.reason)
        due = requirement.next_due(on=today)
        assert row["next_due"] == (due.isoformat() if due else None)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "light=red",
        "light=yellow",
        "status=not_started",
        "q=水",
        "q=12",
        "due_within=30",
        "postponed=1",
        "department={water}",
        "department={water}&role=responsible",
        "department={water}&role=cooperating",
        "pillar={pillar}",
        "task={task}",
        "official={official}",
        "light=red&department={office}",
    ],
)
def test_it_filters_exactly_as_the_dashboard_does(sample_table, leader, query):
    water = Department.objects.get(name="水生态环境处")
    office = Department.objects.get(name="办公室")
    first = Requirement.objects.filter(breakdown__is_current=True).select_related("task").order_by("number")[1]
    official = first.lead_officials.first()
    query = query.format(
        water=water.pk, office=office.pk, pillar=first.task.pillar_id, task=first.task_id, official=official.pk
    )
    page = session_client(leader).get(f"/?{query}")
    assert page.status_code == 200
    api = token_client(leader).get(f"/api/v1/requirements/?page_size=500&{query}").json()
    assert api["count"] == page.context["total"]
    expected = {r.pk for r in page.context["filter"].qs}
    assert {r["id"] for r in api["results"]} == expected


def test_it_answers_a_bad_filter_with_the_field_named(sample_table, leader):
    answer = token_client(leader).get("/api/v1/requirements/?due_within=-3&light=purple")
    assert answer.status_code == 400
    body = answer.json()
    assert body["message"]
    assert set(body["errors"]) == {"due_within", "light"}


def test_it_answers_a_page_past_the_end_in_json(sample_table, leader):
    answer = token_client(leader).get("/api/v1/requirements/?page=99")
    assert answer.status_code == 404
    assert answer.json()["message"]


def test_it_shows_an_account_without_a_role_nothing(sample_table, outsider):
    assert token_client(outsider).get("/api/v1/requirements/").json()["count"] == 0
    first = Requirement.objects.first()
    assert token_client(outsider).get(f"/api/v1/requirements/{first.pk}/").status_code == 404


def test_it_shows_one_requirement_with_what_the_caller_may_do(water_staff, air_staff, leader, requirement):
    mine = token_client(water_staff).get(f"/api/v1/requirements/{requirement.pk}/").json()
    assert mine["abilities"] == ["postpone", "report"]
    assert mine["version"] == 1
    assert mine["report_periods"] == []
    assert token_client(air_staff).get(f"/api/v1/requirements/{requirement.pk}/").json()["abilities"] == ["feedback"]
    assert token_client(leader).get(f"/api/v1/requirements/{requirement.pk}/").json()["abilities"] == [
        "decide",
        "instruct",
    ]


def test_it_offers_the_report_periods_of_a_recurring_requirement(reference, water_staff, water):
    monthly = make_requirement(
        deadline_kind="recurring", recurrence="monthly", deadline_text="每月", responsible=[water]
    )
    periods = token_client(water_staff).get(f"/api/v1/requirements/{monthly.pk}/").json()["report_periods"]
    today = timezone.localdate()
    assert len(periods) == 5
    assert periods[0]["start"] == today.replace(day=1).isoformat()
    assert all(p["start"].endswith("-01") for p in periods)


def test_it_lists_the_journal_newest_first(client, water_staff, requirement):
    client.force_login(water_staff)
    for progress in (10, 30):
        version = Requirement.objects.get(pk=requirement.pk).version
        client.post(
            f"/requirements/{requirement.pk}/report/",
            {"status": "in_progress", "progress": progress, "note": f"进度{progress}", "version": version},
        )
    body = token_client(water_staff).get(f"/api/v1/requirements/{requirement.pk}/journal/").json()
    assert body["count"] == 2
    assert [(e["kind"], e["progress_after"], e["note"]) for e in body["results"]] == [
        ("report", 30, "进度30"),
        ("report", 10, "进度10"),
    ]
    assert body["results"][0]["author"] == "water"
    assert body["results"][0]["department"]["name"] == "水生态环境处"
