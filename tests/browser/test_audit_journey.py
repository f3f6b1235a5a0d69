"""The auditor opens the trail from the menu, narrows it to failed sign-ins and exports it as .xlsx, in
Chinese and in English."""

import io

import openpyxl
import pytest

from audit import trail
from audit.models import Action, Outcome
from tests.browser.conftest import DESKTOP, axe_violations, screenshot

LANGUAGES = {
    "zh": {
        "locale": "zh-CN",
        "menu": "安全审计",
        "outcome": "失败",
        "search": "查询",
        "export": "导出 Excel",
        "failed": "登录失败",
        "header": ("编号", "时间", "操作人账号"),
    },
    "en": {
        "locale": "en-US",
        "menu": "Security audit",
        "outcome": "Failure",
        "search": "Search",
        "export": "Export Excel",
        "failed": "Sign-in failed",
        "header": ("Serial", "Time", "Account"),
    },
}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_auditor_searches_and_exports_the_trail(new_page, live_server, auditor, water_staff, language):
    words = LANGUAGES[language]
    trail.record(water_staff, Action.EXPORT, "dashboard", ip="203.0.113.7")
    trail.record("mallory", Action.LOGIN_FAILED, "mallory", outcome=Outcome.FAILURE, ip="198.51.100.9")
    page = new_page(auditor, viewport=DESKTOP, locale=words["locale"])
    page.click(f".site-nav a:has-text('{words['menu']}')")
    page.wait_for_load_state()
    table = page.locator("table.audit-table")
    assert "mallory" in table.inner_text() and "203.0.113.7" in table.inner_text()
    page.select_option("#id_outcome", label=words["outcome"])
    page.click(f"button:has-text('{words['search']}')")
    page.wait_for_load_state()
    rows = page.locator("table.audit-table tbody tr")
    assert rows.count() == 1
    assert "mallory" in rows.first.inner_text() and words["failed"] in rows.first.inner_text()
    assert "203.0.113.7" not in table.inner_text()
    screenshot(page, f"audit-{language}")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.click(f"a:has-text('{words['export']}')")
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert header[:3] == words["header"]
    assert [(line[2], line[5]) for line in lines] == [("mallory", words["failed"])]
