"""POST /api/v1/requirements/{id}/reports/: the web's rules, answered in JSON."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tasks import services
from tasks.models import Evidence, JournalEntry, Requirement
from tests.api.conftest import tiny_pdf, token_client
from tests.factories import make_requirement


def _url(requirement):
    return f"/api/v1/requirements/{requirement.pk}/reports/"


def test_it_records_a_json_report_as_the_page_does(water_staff, requirement):
    answer = token_client(water_staff).post(
        _url(requirement),
        {"status": "in_progress", "progress": 40, "note": "完成 4 条河道整治", "version": 1},
        format="json",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["entry"]["kind"] == "report"
    assert (body["entry"]["status_before"], body["entry"]["status_after"]) == ("not_started", "in_progress")
    assert (body["entry"]["progress_before"], body["entry"]["progress_after"]) == (0, 40)
    assert body["requirement"]["version"] == 2 and body["requirement"]["progress"] == 40
    assert answer["Location"] == f"/api/v1/requirements/{requirement.pk}/journal/"
    requirement.refresh_from_db()
    assert (requirement.status, requirement.progress, requirement.version) == ("in_progress", 40, 2)
    assert requirement.updated_by == water_staff
    entry = JournalEntry.objects.get()
    assert (entry.author, entry.department.name, entry.note) == (water_staff, "水生态环境处", "完成 4 条河道整治")


def test_it_does_not_let_a_report_complete_a_requirement(water_staff, requirement):
    # As on the page: completion goes through the supervision loop (申请办结, then the office's review).
    answer = token_client(water_staff).post(
        _url(requirement), {"status": "completed", "progress": 100, "note": "已完成", "version": 1}, format="json"
    )
    assert answer.status_code == 400 and "status" in answer.json()["errors"]
    requirement.refresh_from_db()
    assert (requirement.status, requirement.progress, requirement.version) == ("not_started", 0, 1)


def test_it_stores_evidence_sent_as_multipart(water_staff, requirement, media):
    pdf = SimpleUploadedFile("整治方案.pdf", tiny_pdf(), content_type="application/pdf")
    answer = token_client(water_staff).post(
        _url(requirement),
        {"status": "in_progress", "progress": 20, "note": "附方案", "version": 1, "files": [pdf]},
        format="multipart",
    )
    assert answer.status_code == 201
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "整治方案.pdf",
        "application/pdf",
        len(tiny_pdf()),
    )
    listed = answer.json()["entry"]["evidence"][0]
    assert listed["name"] == "整治方案.pdf" and listed["sha256"] == evidence.sha256
    download = token_client(water_staff).get(listed["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == tiny_pdf()
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name,content", [("伪装.pdf", b"MZ\x90\x00 not a pdf"), ("notes.txt", b"hello")])
def test_it_judges_files_by_content(water_staff, requirement, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    answer = token_client(water_staff).post(
        _url(requirement),
        {"status": "in_progress", "progress": 20, "note": "x", "version": 1, "files": [upload]},
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"]["files"] == [f"“{name}”不是 PDF、图片、Word 或 Excel 文件。"]
    assert not JournalEntry.objects.exists()


def test_it_refuses_files_over_the_size_limit(water_staff, requirement, settings):
    settings.TIEJU_MAX_EVIDENCE_BYTES = 2048
    big = SimpleUploadedFile("big.pdf", tiny_pdf() + b"%" * 4096)
    answer = token_client(water_staff).post(
        _url(requirement),
        {"status": "in_progress", "progress": 20, "note": "x", "version": 1, "files": [big]},
        format="multipart",
    )
    assert answer.status_code == 400
    assert "超过" in answer.json()["errors"]["files"][0]
    assert not Evidence.objects.exists()


def test_it_answers_409_with_what_changed_when_the_version_is_stale(water_staff, requirement):
    other = type(water_staff).objects.create_user("water2", password="pw", display_name="李同事")
    other.groups.set(water_staff.groups.all())
    other.departments.set(water_staff.departments.all())
    services.progress_record(
        requirement=requirement, user=other, status="blocked", progress=25, note="遇到征地问题", version=1
    )
    api = token_client(water_staff)
    answer = api.post(
        _url(requirement), {"status": "in_progress", "progress": 60, "note": "完成", "version": 1}, format="json"
    )
    assert answer.status_code == 409
    body = answer.json()
    assert "其他人已更新" in body["message"]
    assert body["current_version"] == 2
    assert [(c["author"], c["note"], c["status_after"]) for c in body["changes"]] == [
        ("李同事", "遇到征地问题", "blocked")
    ]
    requirement.refresh_from_db()
    assert (requirement.status, requirement.progress, requirement.version) == ("blocked", 25, 2)
    again = api.post(
        _url(requirement), {"status": "in_progress", "progress": 60, "note": "完成", "version": 2}, format="json"
    )
    assert again.status_code == 201


@pytest.mark.parametrize(
    "body,field",
    [
        ({"status": "in_progress", "progress": 101, "note": "x", "version": 1}, "progress"),
        ({"status": "done", "progress": 1, "note": "x", "version": 1}, "status"),
        ({"status": "in_progress", "progress": 1, "note": "", "version": 1}, "note"),
        ({"status": "in_progress", "progress": 1, "note": "x"}, "version"),
        ({"status": "in_progress", "progress": 1, "note": "x", "version": "99999999999999999999"}, "version"),
        ({"status": ["x"], "progress": {"a": 1}, "note": None, "version": 1.5}, "progress"),
    ],
)
def test_it_names_the_field_that_was_wrong(water_staff, requirement, body, field):
    answer = token_client(water_staff).post(_url(requirement), body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert not JournalEntry.objects.exists()


def test_it_refuses_a_body_that_is_not_an_object(water_staff, requirement):
    api = token_client(water_staff)
    for raw in ("[1, 2]", "{not json", '"text"'):
        answer = api.post(_url(requirement), raw, content_type="application/json")
        assert answer.status_code == 400, raw
        assert answer.json()["message"]


def test_it_requires_an_offered_period_for_a_recurring_requirement(water_staff, water):
    monthly = make_requirement(
        deadline_kind="recurring", recurrence="monthly", deadline_text="每月", responsible=[water]
    )
    api = token_client(water_staff)
    base = {"status": "in_progress", "progress": 10, "note": "本月已报", "version": 1}
    for period in (None, "2001-01-01", "not-a-date"):
        body = base if period is None else {**base, "period": period}
        assert "period" in api.post(_url(monthly), body, format="json").json()["errors"]
    this_month = timezone.localdate().replace(day=1)
    assert api.post(_url(monthly), {**base, "period": this_month.isoformat()}, format="json").status_code == 201
    monthly.refresh_from_db()
    assert monthly.reported_through >= timezone.localdate()
    assert JournalEntry.objects.get().period_start == this_month


def test_it_refuses_cooperating_staff_leaders_and_retired_requirements(air_staff, leader, water_staff, requirement):
    body = {"status": "in_progress", "progress": 10, "note": "x", "version": 1}
    assert token_client(air_staff).post(_url(requirement), body, format="json").status_code == 403
    assert token_client(leader).post(_url(requirement), body, format="json").status_code == 403
    Requirement.objects.filter(pk=requirement.pk).update(retired_at=timezone.now())
    assert token_client(water_staff).post(_url(requirement), body, format="json").status_code == 403
    assert not JournalEntry.objects.exists()
