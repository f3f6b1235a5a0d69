"""The auditor's page and export: only the 审计管理员 role reads the trail."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent, Outcome
from audit.trail import record

LIST = reverse("audit:event-list")
EXPORT = reverse("audit:event-export")


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    for url in (LIST, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "who", ["outsider", "water_staff", "leader", "admin_user", "system_admin", "security_admin", "superuser"]
)
def test_no_other_role_can_read_it(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


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
