"""A department staff member's day: land on the department, find what is due soon, report with a PDF;
a colleague saving the same requirement meanwhile is told, not overwritten."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Evidence, Requirement
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot
from tests.factories import make_requirement
from tests.tasks.conftest import air, media, requirement, tiny_pdf, water  # noqa: F401 (fixtures)


@pytest.fixture
def due_soon(requirement, water):
    return make_requirement(
        text="完成茅洲河水质达标攻坚",
        responsible=[water],
        due_date=timezone.localdate() + timedelta(days=5),
        progress=60,
    )


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_it_takes_staff_from_login_to_a_filed_report(new_page, live_server, water_staff, water, due_soon, media):
    page = new_page(water_staff)
    assert f"department={water.pk}" in page.url
    assert page.locator("table.requirements tbody tr.requirement").count() == 2
    assert axe_violations(page) == []
    screenshot(page, "staff-dashboard-desktop")

    page.click("nav >> text=我的待办")
    page.wait_for_load_state()
    assert "完成茅洲河水质达标攻坚" in page.locator(".todo-due_soon").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "staff-todo-desktop")
    page.go_back()
    page.wait_for_load_state()

    page.fill("#id_due_within", "14")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "due_within=14" in page.url
    rows = page.locator("table.requirements tbody tr.requirement")
    assert rows.count() == 1 and "临近时限" in rows.first.inner_text()

    page.click("text=完成茅洲河水质达标攻坚")
    page.wait_for_load_state()
    assert page.locator(".req-state .light").inner_text().startswith("▲")
    assert axe_violations(page) == []
    screenshot(page, "staff-requirement-desktop")

    # Staff report the work done, then apply for completion: 已完成 is the supervision office's to give.
    assert page.locator("#id_status option[value=completed]").count() == 0
    page.select_option("#id_status", "in_progress")
    page.fill("#id_progress", "100")
    page.fill("#id_note", "茅洲河全线达标，验收材料见附件。")
    page.click("#report button[type=submit]")
    page.wait_for_load_state()
    assert "进度报告已保存" in page.locator(".messages").inner_text()
    entry = page.locator("ol.journal li").first.inner_text()
    assert "茅洲河全线达标" in entry and "未启动 → 推进中" in entry and "60% → 100%" in entry
    page.fill("#apply_note", "茅洲河全线达标，申请办结。")
    page.set_input_files(
        "#apply_files", files=[{"name": "验收报告.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}]
    )
    page.click("#apply button[type=submit]")
    page.wait_for_load_state()
    assert "办结申请已提交" in page.locator(".messages").inner_text()
    assert page.locator("ol.journal a", has_text="验收报告.pdf").count() == 1
    assert "待复核" in page.locator("#supervision").inner_text()
    assert Requirement.objects.get(pk=due_soon.pk).stage == "review"
    assert Evidence.objects.get().original_name == "验收报告.pdf"
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/todo/")
    assert page.locator(".todo-due_soon").count() == 1


def test_it_tells_the_second_editor_what_changed_instead_of_overwriting(
    new_page, live_server, water_staff, requirement
):
    url = f"{live_server.url}/requirements/{requirement.pk}/"
    first, second = new_page(water_staff), new_page(water_staff)
    first.goto(url)
    second.goto(url)
    first.fill("#id_progress", "30")
    first.select_option("#id_status", "in_progress")
    first.fill("#id_note", "第一人：完成排查")
    first.click("#report button[type=submit]")
    first.wait_for_load_state()
    second.fill("#id_progress", "90")
    second.fill("#id_note", "第二人：几乎完成")
    second.click("#report button[type=submit]")
    second.wait_for_load_state()
    assert "其他人已更新" in second.locator(".messages").inner_text()
    conflict = second.locator(".conflict").inner_text()
    assert "第一人：完成排查" in conflict and "30%" in conflict
    assert second.locator("#id_note").input_value() == "第二人：几乎完成"
    requirement.refresh_from_db()
    assert (requirement.progress, requirement.version) == (30, 2)
    screenshot(second, "staff-conflict-desktop")


@pytest.mark.parametrize("path", ["/?department=", "/requirements/{pk}/", "/todo/"])
def test_it_fits_staff_pages_on_a_phone(new_page, live_server, water_staff, due_soon, path):
    page = new_page(water_staff, viewport=PHONE)
    page.goto(live_server.url + path.format(pk=due_soon.pk))
    name = {"/?department=": "dashboard", "/requirements/{pk}/": "requirement", "/todo/": "todo"}[path]
    screenshot(page, f"staff-{name}-phone")
    assert _fits(page)
    assert axe_violations(page) == []
    assert DESKTOP["width"] > PHONE["width"]
