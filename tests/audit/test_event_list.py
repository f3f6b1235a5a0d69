"""The auditor's page and export: only the 审计管理员 role reads the trail."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent, Outcome
from audit.trail import record

LIST = reverse("audit:event-list")
EXPORT = reverse("audit:event-export")
XLSX = reverse("audit:event-export-xlsx")


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    for url in (LIST, EXPORT, XLSX):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "who", ["outsider", "water_staff", "leader", "admin_user", "system_admin", "security_admin", "superuser"]
)
def test_no_other_role_can_read_it(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(XLSX).status_code == 403


def test_the_auditor_searches_the_trail(client, auditor, water_staff):
    record(water_staff, Action.EXPORT, "dashboard", ip="203.0.113.7")
    record("mallory", Action.LOGIN_FAILED, "mallory", outcome=Outcome.FAILURE, ip="198.51.100.9")
    client.force_login(auditor)
    page = client.get(LIST).content.decode()
    assert "安全审计" in page and "mallory" in page and "203.0.113.7" in page and "导出数据" in page
    page = client.get(LIST, {"outcome": "failure"}).content.decode()
    assert "mallory" in page and "203.0.113.7" not in page
    page = client.get(LIST, {"ip": "203.0.113"}).content.decode()
    assert "203.0.113.7" in page and "mallory" not in page
    assert "安全审计" in client.get(reverse("tasks:dashboard"), follow=True).content.decode()  # in the menu


def test_the_auditor_exports_what_the_filter_matches_and_the_export_is_recorded(client, auditor, water_staff):
    first = record(water_staff, Action.EXPORT, "dashboard", {"file": "a.xlsx"}, ip="203.0.113.7")
    record("mallory", Action.LOGIN_FAILED, "mallory", outcome=Outcome.FAILURE)
    client.force_login(auditor)
    response = client.get(EXPORT, {"actor": "water"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["actor_name"] for r in rows] == ["water"]
    assert rows[0]["hash"] == first.hash and rows[0]["prev_hash"] == first.prev_hash
    assert rows[0]["ip_address"] == "203.0.113.7" and rows[0]["detail"] == '{"file":"a.xlsx"}'
    export = AuditEvent.objects.filter(action="audit.export").get()
    assert export.actor_name == "auditor" and "actor=water" in export.detail


def _workbook(response):
    import openpyxl

    from tieju.xlsx import CONTENT_TYPE

    assert response.status_code == 200 and response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return sheet.title, rows[0], rows[1:]


def test_the_auditor_exports_the_whole_trail_as_xlsx_read_back_with_openpyxl(client, auditor, water_staff):
    from datetime import timedelta

    from django.utils import timezone

    first = record(water_staff, Action.EXPORT, "dashboard", {"file": "a.xlsx"}, ip="203.0.113.7")
    record("mallory", Action.LOGIN_FAILED, "mallory", outcome=Outcome.FAILURE, ip="198.51.100.9")
    client.force_login(auditor)
    title, header, rows = _workbook(client.get(XLSX))  # no filter: every event
    assert title == "审计记录"
    assert header[:3] == ("编号", "时间", "操作人账号") and header[-2:] == ("前一条的哈希", "哈希")
    # Every event, the auditor's sign-in and this export's own record included.
    assert [row[0] for row in rows] == list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert rows[-1][6] == "audit.export"
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    water = by_id[first.pk]
    assert water["操作人账号"] == "water" and water["来源地址"] == "203.0.113.7"
    assert (water["事件类型"], water["事件代码"], water["结果"]) == ("导出数据", "data.export", "成功")
    assert water["详情"] == '{"file":"a.xlsx"}' and water["哈希"] == first.hash
    local = timezone.localtime(first.created_at).replace(tzinfo=None)  # Excel keeps milliseconds, local time
    assert abs(water["时间"] - local) < timedelta(milliseconds=1)
    mallory = next(row for row in by_id.values() if row["操作人账号"] == "mallory")
    assert (mallory["事件类型"], mallory["结果"]) == ("登录失败", "失败")
    export = AuditEvent.objects.filter(action="audit.export").get()
    assert export.detail_data == {"format": "xlsx", "query": ""}


def test_the_csv_export_without_a_filter_is_the_whole_trail(client, auditor, water_staff):
    record(water_staff, Action.EXPORT, "dashboard")
    record("mallory", Action.LOGIN_FAILED, "mallory", outcome=Outcome.FAILURE)
    client.force_login(auditor)
    text = b"".join(client.get(EXPORT).streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["actor_name"] for r in rows] == ["water", "mallory", "auditor", "auditor"]
    assert [r["action"] for r in rows][2:] == ["auth.login", "audit.export"]


def test_the_xlsx_export_follows_the_filter_in_english(client, auditor, water_staff):
    record(water_staff, Action.EXPORT, "dashboard")
    record("mallory", Action.LOGIN_FAILED, "mallory", outcome=Outcome.FAILURE)
    client.force_login(auditor)
    client.cookies["django_language"] = "en"
    _title, header, rows = _workbook(client.get(XLSX, {"outcome": "failure"}))
    assert [dict(zip(header, row, strict=True))["Event"] for row in rows] == ["Sign-in failed"]


def test_a_wrong_query_gives_the_list_page_with_its_error_not_an_empty_file(client, auditor, water_staff):
    record(water_staff, Action.EXPORT, "dashboard")
    client.force_login(auditor)
    for url in (XLSX, EXPORT):
        response = client.get(url, {"since": "2026-13-45"}, follow=True)
        page = response.content.decode()
        assert response.status_code == 200 and "查询条件有误，请按提示修改后再导出。" in page
        assert "输入一个有效的日期。" in page
    assert not AuditEvent.objects.filter(action="audit.export").exists()
