"""The import page: upload → preview → apply, for administrators only."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from imports.models import ImportRecord
from tasks.models import Requirement
from teams.models import Department
from tests.tasks.import_files import csv_bytes, media, sample_rows, xlsx_openpyxl  # noqa: F401
from tieju.xlsx import CONTENT_TYPE

URL = reverse("tasks:import")
XLSX = CONTENT_TYPE


def _upload(client, data, name="任务分解表.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def test_it_sends_anonymous_users_to_log_in(client, reference):
    for url in (URL, reverse("tasks:import-preview", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(reverse("tasks:import-apply", args=[1]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_refuses_staff_leaders_and_accounts_without_a_role_and_writes_nothing(client, water_staff, leader, outsider):
    run = ImportRecord.objects.create(kind="breakdown", file_name="x.xlsx", sha256="0" * 64)
    for user in (water_staff, leader, outsider):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert _upload(client, xlsx_openpyxl()).status_code == 403
        assert client.get(reverse("tasks:import-preview", args=[run.pk])).status_code == 403
        assert client.post(reverse("tasks:import-apply", args=[run.pk])).status_code == 403
    assert ImportRecord.objects.count() == 1 and Requirement.objects.count() == 0


def test_it_shows_an_unknown_run_as_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("tasks:import-preview", args=[999])).status_code == 404


def test_it_shows_the_upload_form_and_the_import_record_to_administrators(client, admin_user):
    ImportRecord.objects.create(
        kind="breakdown",
        file_name="去年的表.xlsx",
        sha256="ab" * 32,
        user=admin_user,
        applied_at=timezone.now(),
        counts={"created": 64, "updated": 0, "unchanged": 0, "retired": 0},
    )
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and "去年的表.xlsx" in page and "已导入" in page


def test_it_links_the_import_page_from_the_dashboard_for_administrators_only(client, admin_user, water_staff):
    client.force_login(admin_user)
    assert URL in client.get(reverse("tasks:dashboard")).content.decode()
    client.force_login(water_staff)
    assert URL not in client.get(reverse("tasks:dashboard")).content.decode()


def test_it_links_the_import_page_from_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:imports_importrecord_changelist"))
    assert response.status_code == 200 and URL in response.content.decode()


def test_it_previews_then_applies_and_records_who_and_which_file(client, admin_user):
    client.force_login(admin_user)
    response = _upload(client, xlsx_openpyxl())
    run = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:import-preview", args=[run.pk])
    assert Requirement.objects.count() == 0  # a preview writes nothing
    assert (run.file_name, run.user, run.applied, run.counts["created"]) == ("任务分解表.xlsx", admin_user, False, 64)
    assert len(run.sha256) == 64 and run.file.name.endswith(".xlsx")

    page = client.get(response["Location"]).content.decode()
    assert "新增 64 项" in page and "严格落实党组会“第一议题”学习制度" in page and "确认导入" in page

    response = client.post(reverse("tasks:import-apply", args=[run.pk]), follow=True)
    assert "已导入：新增 64 项" in response.content.decode()
    assert Requirement.objects.active().count() == 64
    run.refresh_from_db()
    assert run.applied and run.applied_at is not None and run.counts["created"] == 64
    # Only the applied import is in the security audit trail (the preview is not), with who applied it.
    event = AuditEvent.objects.get(action="data.import")
    assert event.actor_name == admin_user.username and event.outcome == "success"


def test_it_says_no_changes_when_the_same_file_comes_again(client, admin_user, sample_table):
    client.force_login(admin_user)
    response = _upload(client, xlsx_openpyxl())
    page = client.get(response["Location"]).content.decode()
    assert "无变化" in page and "确认导入" not in page


def test_it_shows_field_by_field_changes_and_retirements(client, admin_user, sample_table):
    rows = sample_rows()
    rows[47][4] = "2026年第四季度"  # requirement 48, due 2026年9月30日
    del rows[60]  # requirement 61
    client.force_login(admin_user)
    page = client.get(_upload(client, xlsx_openpyxl("office", rows))["Location"]).content.decode()
    assert "更新 1 项" in page and "2026年9月30日" in page and "2026年第四季度" in page
    assert "停用 1 项" in page and "信访案件按期办结率100%" in page


def test_it_lists_a_deadline_spelt_differently_with_the_same_meaning_as_unchanged(client, admin_user, sample_table):
    rows = sample_rows()
    rows[47][4] = "2026年第三季度"  # requirement 48, due 2026年9月30日: the same day
    client.force_login(admin_user)
    location = _upload(client, xlsx_openpyxl("office", rows))["Location"]
    page = client.get(location).content.decode()
    assert "更新 <strong>0</strong>" in page and "无变化" in page and "确认导入" not in page
    assert "完成时限写法不同，含义相同：2026年第三季度，保留原写法“2026年9月30日”" in page


def test_it_lists_row_and_column_errors_and_applies_nothing(client, admin_user, sample_table):
    rows = sample_rows()
    rows[9][4] = "2026年13月底前"
    client.force_login(admin_user)
    location = _upload(client, xlsx_openpyxl("office", rows))["Location"]
    page = client.get(location).content.decode()
    assert "第13行「完成时限」：无法识别的日期“2026年13月底前”" in page and "确认导入" not in page
    run = ImportRecord.objects.latest("pk")
    response = client.post(reverse("tasks:import-apply", args=[run.pk]), follow=True)
    assert "1 处错误" in response.content.decode()
    assert not Requirement.objects.filter(deadline_text="2026年13月底前").exists()
    run.refresh_from_db()
    assert not run.applied and run.errors[0]["column"] == "完成时限"


def test_it_explains_unreadable_files_without_a_server_error(client, admin_user):
    client.force_login(admin_user)
    for data, name, message in [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "另存为” .xlsx"),
        (b"hello", "notes.docx", "无法识别的文件格式"),
        (b"PK\x03\x04broken", "broken.xlsx", "文件已损坏"),
        ("甲,乙\n1,2\n".encode("gbk"), "x.csv", "找不到表头"),
    ]:
        response = _upload(client, data, name)
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert page.status_code == 200 and message in page.content.decode()
    assert Requirement.objects.count() == 0


def test_it_refuses_an_upload_over_the_size_limit_before_storing_it(client, admin_user, settings):
    settings.TIEJU_MAX_IMPORT_BYTES = 2048
    client.force_login(admin_user)
    response = _upload(client, b"x" * 4096, "big.csv")
    assert response.status_code == 200 and "文件过大" in response.content.decode()
    assert ImportRecord.objects.count() == 0


def test_it_creates_new_departments_only_when_confirmed(client, admin_user, sample_table):
    rows = sample_rows()
    rows[0][6] = "人事处"
    client.force_login(admin_user)
    location = _upload(client, xlsx_openpyxl("office", rows))["Location"]
    page = client.get(location).content.decode()
    assert "人事处" in page and "组织人事处" in page and "相近" in page
    run = ImportRecord.objects.latest("pk")
    response = client.post(reverse("tasks:import-apply", args=[run.pk]), follow=True)
    assert "人事处" in response.content.decode() and not Department.objects.filter(name="人事处").exists()
    response = client.post(reverse("tasks:import-apply", args=[run.pk]), {"create_missing": "on"}, follow=True)
    assert "已导入" in response.content.decode()
    assert Department.objects.filter(name="人事处").exists()


def test_it_applies_a_run_once_even_when_apply_is_sent_twice(client, admin_user):
    client.force_login(admin_user)
    _upload(client, csv_bytes("gbk"), "table.csv")
    run = ImportRecord.objects.get()
    client.post(reverse("tasks:import-apply", args=[run.pk]))
    response = client.post(reverse("tasks:import-apply", args=[run.pk]), follow=True)
    assert Requirement.objects.count() == 64
    assert response.status_code == 200


def test_it_refuses_to_apply_a_stored_file_that_was_altered(client, admin_user):
    client.force_login(admin_user)
    _upload(client, xlsx_openpyxl())
    run = ImportRecord.objects.get()
    with open(run.file.path, "ab") as handle:
        handle.write(b"tampered")
    response = client.post(reverse("tasks:import-apply", args=[run.pk]), follow=True)
    assert "已被改动" in response.content.decode() and Requirement.objects.count() == 0
