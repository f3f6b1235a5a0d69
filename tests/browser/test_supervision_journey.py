"""The supervision loop end to end in a browser: staff sign, report and apply; the supervision office returns the
item for rework; staff rework and apply again; the office writes it off; the light and the scorecard follow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import JournalEntry, Requirement, Stage, Status
from tasks.supervision.loop import acknowledgements_open
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import make_requirement
from tests.tasks.conftest import media, tiny_pdf, water  # noqa: F401 (fixtures)


@pytest.fixture
def assigned(water):  # noqa: F811
    r = make_requirement(
        text="完成茅洲河干流消黑验收",
        responsible=[water],
        progress=40,
        due_date=timezone.localdate() + timedelta(days=5),
        completion_criteria="验收报告及监测数据",
    )
    acknowledgements_open([r.pk])
    return r


def _message(page):
    return page.locator(".messages").inner_text()


def _apply(page, note):
    page.fill("#apply_note", note)
    page.set_input_files(
        "#apply_files", files=[{"name": "验收报告.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}]
    )
    page.click("#apply button[type=submit]")
    page.wait_for_load_state()
    assert "办结申请已提交" in _message(page)


def _review(page, decision, note="", rework_due=None):
    page.check(f"#review input[name=decision][value={decision}]")
    if note:
        page.fill("#review_note", note)
    if rework_due:
        page.fill("#review_rework_due", rework_due.isoformat())
    page.click("#review button[type=submit]")
    page.wait_for_load_state()


def test_it_runs_the_loop_from_signing_to_the_write_off(
    new_page, live_server, water_staff, supervisor, assigned, media
):  # noqa: F811
    url = f"{live_server.url}/requirements/{assigned.pk}/"
    today = timezone.localdate()
    staff = new_page(water_staff)
    staff.goto(url)
    assert "待签收" in staff.locator("#supervision").inner_text()
    assert staff.locator(".req-state .light").inner_text().startswith("▲")  # due within the window: yellow
    screenshot(staff, "loop-1-staff-to-sign")
    staff.click("#supervision form.inline button[type=submit]")
    staff.wait_for_load_state()
    assert "已签收" in _message(staff) and "待签收" not in staff.locator("#supervision").inner_text()

    staff.select_option("#id_status", "in_progress")
    staff.fill("#id_progress", "100")
    staff.fill("#id_note", "干流消黑完成，等待验收。")
    staff.click("#report button[type=submit]")
    staff.wait_for_load_state()
    assert "进度报告已保存" in _message(staff)
    _apply(staff, "干流消黑完成，申请办结。")
    assert "待复核" in staff.locator("#supervision").inner_text()
    assert staff.locator("#review").count() == 0  # nobody reviews their own department's application

    office = new_page(supervisor)
    office.goto(url)
    assert "干流消黑完成，申请办结。" in office.locator("#application").inner_text()
    assert office.locator("#application a", has_text="验收报告.pdf").count() == 1
    assert axe_violations(office) == []
    screenshot(office, "loop-2-office-reviews")
    _review(office, "return")  # a return without a reason or a date is refused, nothing written
    assert "退回整改须写明理由" in office.locator("#review").inner_text()
    assert office.locator("#review .has-error").count() == 2  # the reason and the date
    assert Requirement.objects.get(pk=assigned.pk).stage == Stage.REVIEW
    _review(office, "return", "缺少第三方监测数据，请补充。", today + timedelta(days=3))
    assert "已退回整改" in _message(office)
    assert "退回整改" in office.locator("#supervision").inner_text()
    screenshot(office, "loop-3-office-returned")

    staff.reload()
    assert "退回整改" in staff.locator("#supervision").inner_text()
    assert "缺少第三方监测数据" in staff.locator("ol.journal").inner_text()
    assert Requirement.objects.get(pk=assigned.pk).status == Status.IN_PROGRESS
    _apply(staff, "已补充第三方监测数据，再次申请办结。")

    office.reload()
    _review(office, "close", "材料齐全，同意办结。")
    assert "已办结销号" in _message(office)
    assert office.locator(".req-state .light").inner_text().startswith("✔")  # the light follows
    screenshot(office, "loop-4-office-closed")
    closed = Requirement.objects.get(pk=assigned.pk)
    assert (closed.status, closed.stage, closed.completed_on) == (Status.COMPLETED, Stage.CLOSED, today)
    kinds = list(
        JournalEntry.objects.filter(requirement=closed).order_by("created_at", "pk").values_list("kind", flat=True)
    )
    assert kinds[-6:] == [
        "sign",
        "report",
        "completion_request",
        "completion_return",
        "completion_request",
        "completion_close",
    ]

    # The scorecard of the month follows: 100 − 2 (one return) + 1 (on time), capped at the base → 99.
    staff.goto(f"{live_server.url}/bulletin/{today:%Y-%m}/scorecard/")
    body = staff.locator("table.scorecard tbody").inner_text()  # the only department with an item
    assert "水生态环境处" in body and "退回整改" in body and "按期完成事项" in body and "99.0" in body
    assert axe_violations(staff) == []
    screenshot(staff, "loop-5-scorecard")
