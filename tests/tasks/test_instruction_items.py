"""领导交办事项 (tasks/supervision/instructions.py): registered by a leader or the office, through the
same loop, on the dashboard under 领导交办, and never retired or exported by a task-table import."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from tasks.importing.export import export_breakdown
from tasks.importing.runs import breakdown_import
from tasks.models import Acknowledgement, Breakdown, Requirement
from teams.models import Department, Official

URL = reverse("tasks:instruction-assign")


def _data(**extra):
    water = Department.objects.get(name="水生态环境处")
    air = Department.objects.get(name="大气环境处")
    liu = Official.objects.get_or_create(name="刘初汉")[0]
    return {
        "text": "对茅洲河入河排污口开展专项排查",
        "instructed_by": liu.pk,
        "officials": [liu.pk],
        "responsible": [water.pk],
        "cooperating": [air.pk],
        "due_date": "2026-12-15",
        "criteria": "排查台账和整治清单",
        **extra,
    }


@pytest.mark.parametrize(
    "who, code",
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("water_staff", 403),
        ("leader", 200),
        ("supervisor", 200),
        ("admin_user", 200),
    ],
)
def test_it_lets_leaders_and_the_office_register_an_item(client, request, sample_table, who, code):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = Requirement.objects.count()
    assert client.get(URL).status_code == code
    response = client.post(URL, _data())
    assert response.status_code == (302 if code == 200 else code)
    assert Requirement.objects.count() == before + (1 if code == 200 else 0)


def test_it_goes_through_the_loop_and_survives_a_reimport(client, sample_table, leader, water_staff):
    client.force_login(leader)
    response = client.post(URL, _data())
    item = Requirement.objects.get(source="instruction")
    assert response["Location"] == reverse("tasks:requirement-detail", args=[item.pk])
    assert (item.number, item.deadline_kind, item.due_date, item.deadline_text) == (
        1,
        "date",
        date(2026, 12, 15),
        "2026年12月15日前",
    )
    assert item.instructed_by.name == "刘初汉" and item.completion_criteria == "排查台账和整治清单"
    assert item.responsible_names == ["水生态环境处"] and item.cooperating_names == ["大气环境处"]
    assert [a.department.name for a in Acknowledgement.objects.filter(requirement=item)] == ["水生态环境处"]
    assert item.journal.get().note == "刘初汉交办：对茅洲河入河排污口开展专项排查"
    # On the dashboard under its own filter.
    dashboard = client.get(reverse("tasks:dashboard"), {"source": "instruction"})
    assert dashboard.context["total"] == 1 and "交办1" in dashboard.content.decode()
    # The department signs for it like any other item.
    client.force_login(water_staff)
    assert client.post(reverse("tasks:requirement-sign", args=[item.pk])).status_code == 302

    path = settings.BASE_DIR / "fixtures" / "task-breakdown.xlsx"
    outcome = breakdown_import(data=path.read_bytes(), filename=path.name)
    assert outcome.applied and outcome.plan.counts()["retired"] == 0
    item.refresh_from_db()
    assert item.retired_at is None and item.number == 1 and item.source == "instruction"
    assert Requirement.objects.active().from_table().filter(breakdown=Breakdown.current()).count() == 64
    # And the table's export does not carry it.
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_breakdown(Breakdown.current()))).active
    assert all("茅洲河入河排污口" not in str(c.value or "") for row in sheet.iter_rows() for c in row)


def test_it_names_what_is_missing(client, sample_table, leader):
    client.force_login(leader)
    response = client.post(URL, _data(due_date="", text="", responsible=[]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写交办内容" in page and "请选择责任部门" in page and "请给出完成时限或反馈周期" in page
    assert not Requirement.objects.filter(source="instruction").exists()
    response = client.post(URL, _data(due_date="", recurrence="monthly"))
    item = Requirement.objects.get(source="instruction")
    assert (item.deadline_kind, item.recurrence, item.deadline_text) == ("recurring", "monthly", "每月反馈")
