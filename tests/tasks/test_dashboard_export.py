from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tasks.models import Requirement
from teams.models import Department

URL = reverse("tasks:dashboard-export")


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_it_exports_exactly_the_filtered_rows(client, leader, sample_table):
    client.force_login(leader)
    air = Department.objects.get(name="大气环境处")
    query = {"department": air.pk, "role": "responsible", "page": 2, "per_page": 2}
    rows = _rows(client.get(URL, query))
    assert rows[0][:4] == ("序号", "工程", "主要任务", "具体要求")
    expected = sorted(Requirement.objects.responsible_for(air).values_list("number", flat=True))
    assert [row[0] for row in rows[1:]] == expected  # all pages, not just the one on screen
    row45 = next(row for row in rows if row[0] == 45)
    assert row45[3] == "完成100家挥发性有机物重点企业治理任务"
    assert row45[4] == "2026年10月底前" and row45[7] == "大气环境处" and row45[8] == "各管理局、生态环境综合执法支队"
    # The light and next due date are the ones the requirement's own page computes today.
    r45, today = Requirement.objects.get(number=45), timezone.localdate()
    light = r45.light(on=today)
    assert row45[11] == f"{light.label}（{light.reason_label}）"
    next_due = r45.next_due(on=today)
    assert (row45[5].date() if row45[5] else None) == next_due
    assert row45[6] == "、".join(r45.lead_officials.order_by("sort_order", "name").values_list("name", flat=True))
    assert row45[9] == "未启动" and row45[10] == 0


def test_it_links_the_export_with_the_current_filters(client, leader, sample_table):
    client.force_login(leader)
    page = client.get(reverse("tasks:dashboard"), {"status": "completed", "page": 1}).content.decode()
    assert f'href="{URL}?status=completed"' in page


def test_it_exports_nothing_for_invalid_filters_or_an_account_without_a_role(client, leader, outsider, sample_table):
    client.force_login(leader)
    assert len(_rows(client.get(URL, {"due_within": "abc"}))) == 1
    client.force_login(outsider)
    assert len(_rows(client.get(URL))) == 1
