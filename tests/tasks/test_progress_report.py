from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.models import Evidence, JournalEntry, Requirement
from tests.factories import make_requirement
from tests.tasks.conftest import tiny_pdf


def _url(r):
    return reverse("tasks:requirement-report", args=[r.pk])


def _data(r, **extra):
    return {"status": "in_progress", "progress": 40, "note": "已完成排查", "version": r.version, **extra}


def test_it_records_the_report_with_a_pdf_and_shows_it_in_the_journal(client, water_staff, requirement, media):
    client.force_login(water_staff)
    pdf = SimpleUploadedFile("整治方案.pdf", tiny_pdf(), content_type="application/pdf")
    response = client.post(_url(requirement), _data(requirement, files=pdf), follow=True)
    assert response.status_code == 200
    requirement.refresh_from_db()
    assert (requirement.status, requirement.progress, requirement.version) == ("in_progress", 40, 2)
    assert requirement.updated_by == water_staff and requirement.updated_at is not None
    entry = JournalEntry.objects.get(requirement=requirement)
    assert (entry.status_before, entry.status_after, entry.progress_before, entry.progress_after) == (
        "not_started",
        "in_progress",
        0,
        40,
    )
    assert entry.department.name == "水生态环境处" and entry.author == water_staff
    evidence = entry.evidence.get()
    assert evidence.original_name == "整治方案.pdf" and evidence.content_type == "application/pdf"
    assert "整治方案" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    assert (media / evidence.file.name).read_bytes() == tiny_pdf()
    page = response.content.decode()
    assert "进度报告已保存" in page and "已完成排查" in page and "整治方案.pdf" in page
    assert "未启动 → 推进中" in page and "0% → 40%" in page


def test_it_does_not_let_staff_mark_their_own_requirement_completed(client, water_staff, requirement):
    """已完成 is the supervision office's 办结销号 after an application, never a report's."""
    client.force_login(water_staff)
    form = client.get(reverse("tasks:requirement-detail", args=[requirement.pk])).context["report_form"]
    assert "completed" not in [value for value, _label in form.fields["status"].choices]
    response = client.post(_url(requirement), _data(requirement, status="completed", progress=60))
    assert response.status_code == 200 and "status" in response.context["report_form"].errors
    requirement.refresh_from_db()
    assert (requirement.status, requirement.progress, requirement.version) == ("not_started", 0, 1)
    assert not JournalEntry.objects.exists()
    assert requirement.light(on=date(2026, 6, 1)).code != "completed"
    with pytest.raises(ValidationError):
        services.progress_record(
            requirement=requirement, user=water_staff, status="completed", progress=100, note="x", version=1
        )


def test_it_requires_a_note(client, water_staff, requirement):
    client.force_login(water_staff)
    response = client.post(_url(requirement), _data(requirement, note=""))
    assert response.status_code == 200
    assert "请填写说明" in response.content.decode()
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("progress", [-1, 101, "abc"])
def test_it_refuses_a_percent_out_of_range(client, water_staff, requirement, progress):
    client.force_login(water_staff)
    assert client.post(_url(requirement), _data(requirement, progress=progress)).status_code == 200
    assert Requirement.objects.get(pk=requirement.pk).version == 1


@pytest.mark.parametrize(
    "name, content",
    [
        ("evil.pdf", b"<html><script>alert(1)</script></html>"),
        ("report.docx", b"just text pretending to be Word"),
        ("a.exe", b"MZ\x90\x00" + b"\x00" * 100),
    ],
)
def test_it_judges_files_by_content_not_by_name(client, water_staff, requirement, name, content):
    client.force_login(water_staff)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(_url(requirement), _data(requirement, files=upload))
    assert response.status_code == 200
    assert "不是 PDF、图片、Word 或 Excel 文件" in response.content.decode()
    assert not Evidence.objects.exists() and not JournalEntry.objects.exists()


def test_it_accepts_images_and_office_files_by_content(client, water_staff, requirement):
    from io import BytesIO

    from openpyxl import Workbook

    buffer = BytesIO()
    Workbook().save(buffer)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client.force_login(water_staff)
    files = [SimpleUploadedFile("台账.xlsx", buffer.getvalue()), SimpleUploadedFile("现场.png", png)]
    client.post(_url(requirement), _data(requirement, files=files))
    assert sorted(Evidence.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
    ]


def test_it_refuses_files_over_the_size_limit(client, water_staff, requirement, settings):
    settings.TIEJU_MAX_EVIDENCE_BYTES = 2048
    client.force_login(water_staff)
    big = SimpleUploadedFile("big.pdf", tiny_pdf() + b"%" * 4096)
    response = client.post(_url(requirement), _data(requirement, files=big))
    assert "超过" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_refuses_a_stale_version_and_shows_what_changed(client, water_staff, requirement):
    other = type(water_staff).objects.create_user("water2", password="pw", display_name="李同事")
    other.groups.set(water_staff.groups.all())
    other.departments.set(water_staff.departments.all())
    services.progress_record(
        requirement=requirement, user=other, status="blocked", progress=25, note="遇到征地问题", version=1
    )
    client.force_login(water_staff)
    response = client.post(_url(requirement), _data(requirement, status="in_progress", progress=90, version=1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "其他人已更新" in page and "李同事" in page and "遇到征地问题" in page and "受阻" in page
    requirement.refresh_from_db()
    assert (requirement.status, requirement.progress, requirement.version) == ("blocked", 25, 2)
    assert JournalEntry.objects.count() == 1
    # The form now carries the current version, so a deliberate resubmit is accepted.
    assert response.context["report_form"]["version"].value() == 2
    assert client.post(_url(requirement), _data(requirement, version=2)).status_code == 302


def test_it_does_the_version_check_in_the_update_itself(water_staff, requirement):
    services.progress_record(
        requirement=requirement, user=water_staff, status="in_progress", progress=5, note="a", version=1
    )
    with pytest.raises(services.VersionConflict) as conflict:
        services.progress_record(
            requirement=Requirement.objects.get(pk=requirement.pk),
            user=water_staff,
            status="blocked",
            progress=10,
            note="b",
            version=1,
        )
    assert [e.note for e in conflict.value.entries] == ["a"]
    assert Requirement.objects.get(pk=requirement.pk).status == "in_progress"


def test_it_records_the_period_of_a_recurring_report_and_the_light_turns_green(client, water_staff, water):
    r = make_requirement(deadline_kind="recurring", recurrence="monthly", deadline_text="每月", responsible=[water])
    today = timezone.localdate()
    assert r.light(on=today).code in ("red", "yellow")
    client.force_login(water_staff)
    form = client.get(reverse("tasks:requirement-detail", args=[r.pk])).context["report_form"]
    choices = [value for value, _label in form.fields["period"].choices]
    this_month = today.replace(day=1)
    last_month = (this_month - timezone.timedelta(days=1)).replace(day=1)
    assert form.initial["period"] == last_month.isoformat()  # the one owed first
    client.post(_url(r), _data(r, period=last_month.isoformat()))
    client.post(_url(Requirement.objects.get(pk=r.pk)), _data(Requirement.objects.get(pk=r.pk), period=choices[0]))
    r.refresh_from_db()
    assert r.reported_through >= today
    assert r.light(on=today).code == "green"
    entry = r.journal.first()
    assert entry.period_start == this_month


def test_it_never_moves_reported_through_backwards(water_staff, water):
    from tasks.periods import period_containing

    r = make_requirement(
        deadline_kind="recurring", recurrence="monthly", responsible=[water], reported_through=date(2026, 5, 31)
    )
    services.progress_record(
        requirement=r,
        user=water_staff,
        status="in_progress",
        progress=1,
        note="补报",
        period=period_containing("monthly", date(2026, 3, 1)),
        version=1,
    )
    r.refresh_from_db()
    assert r.reported_through == date(2026, 5, 31)


def test_it_refuses_a_period_that_is_not_offered(client, water_staff, water):
    r = make_requirement(deadline_kind="recurring", recurrence="monthly", responsible=[water])
    client.force_login(water_staff)
    for period in ("2001-01-01", "not-a-date", ""):
        assert client.post(_url(r), _data(r, period=period)).status_code == 200
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999999999999", "7"])
def test_it_refuses_a_missing_or_forged_version_with_the_conflict_message(client, water_staff, requirement, version):
    """A tampered hidden version used to give the form back with no message at all (issue 17)."""
    client.force_login(water_staff)
    response = client.post(_url(requirement), _data(requirement, version=version))
    assert response.status_code == 409
    assert "其他人已更新了这项具体要求" in response.content.decode()
    # The form offered again carries the real version, so a deliberate resubmit goes through.
    assert f'name="version" value="{requirement.version}"' in response.content.decode()
    assert not JournalEntry.objects.exists()
