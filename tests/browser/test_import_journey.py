from django.conf import settings

from tasks.models import Requirement
from tests.browser.conftest import axe_violations, screenshot
from tests.tasks.import_files import media  # noqa: F401

SAMPLE = settings.BASE_DIR / "fixtures" / "task-breakdown.xlsx"


def _upload(page, live_server, path=None, *, name=None, data=None):
    page.goto(f"{live_server.url}/import/")
    if path is not None:
        page.set_input_files("#id_file", str(path))
    else:
        page.set_input_files("#id_file", files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def test_it_uploads_previews_applies_and_then_sees_no_changes(new_page, live_server, admin_user):
    page = new_page(admin_user)
    page.click("text=导入任务表")
    assert page.url.endswith("/import/")
    assert axe_violations(page) == []
    screenshot(page, "import-upload")

    _upload(page, live_server, SAMPLE)
    assert page.locator("#created-heading").inner_text() == "新增 64 项"
    assert page.get_by_text("严格落实党组会“第一议题”学习制度").first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "import-preview")

    page.click("text=确认导入")
    page.wait_for_load_state()
    assert "已导入：新增 64 项" in page.locator(".messages").inner_text()
    assert Requirement.objects.active().count() == 64
    screenshot(page, "import-applied")

    _upload(page, live_server, SAMPLE)
    assert "无变化" in page.locator(".no-changes").inner_text()
    assert page.locator("text=确认导入").count() == 0
    screenshot(page, "import-no-changes")


def test_it_shows_a_broken_file_as_a_readable_error(new_page, live_server, admin_user):
    page = new_page(admin_user)
    _upload(page, live_server, name="旧表格.xls", data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    alert = page.locator("[role=alert]").inner_text()
    assert "无法读取此文件" in alert and "另存为” .xlsx" in alert
    assert axe_violations(page) == []
    screenshot(page, "import-broken-file")
    assert Requirement.objects.count() == 0


def test_it_previews_and_applies_on_a_phone(new_page, live_server, admin_user):
    from tests.browser.conftest import PHONE

    page = new_page(admin_user, viewport=PHONE)
    _upload(page, live_server, SAMPLE)
    assert page.locator("#created-heading").inner_text() == "新增 64 项"
    screenshot(page, "import-preview-phone")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.click("text=确认导入")
    page.wait_for_load_state()
    assert "已导入：新增 64 项" in page.locator(".messages").inner_text()
    screenshot(page, "import-applied-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
