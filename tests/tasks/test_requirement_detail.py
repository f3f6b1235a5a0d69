from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks import services
from tasks.models import JournalEntry
from teams.models import ActionTeam
from tests.tasks.conftest import tiny_pdf


def _url(r):
    return reverse("tasks:requirement-detail", args=[r.pk])


def test_it_shows_all_fields_teams_and_departments(client, air_staff, requirement):
    team = ActionTeam.objects.get(number=1)
    requirement.teams.add(team)
    client.force_login(air_staff)
    page = client.get(_url(requirement)).content.decode()
    for text in (
        "消除黑臭水体",
        "2026年12月底前",
        "2026-12-31",
        "分管水副局长",
        "水生态环境处",
        "大气环境处",
        team.name,
        "测试任务",
        "未启动",
    ):
        assert text in page
    assert f'href="/teams/{team.pk}/"' in page


def test_it_shows_each_role_only_the_forms_it_may_use(
    client, water_staff, air_staff, district_staff, leader, requirement
):
    def forms(user):
        client.force_login(user)
        page = client.get(_url(requirement)).content.decode()
        return [name for name in ("填报进度", "提交反馈", "提交批示", "提交延期申请") if name in page]

    assert forms(water_staff) == ["填报进度", "提交延期申请"]
    assert forms(air_staff) == ["提交反馈"]
    assert forms(district_staff) == []
    assert forms(leader) == ["提交批示"]


def test_it_shows_the_journal_with_author_department_change_period_and_files(client, leader, water_staff, water):
    from tasks.periods import period_containing
    from tests.factories import make_requirement

    r = make_requirement(deadline_kind="recurring", recurrence="quarterly", responsible=[water])
    services.progress_record(
        requirement=r,
        user=water_staff,
        status="in_progress",
        progress=55,
        note="一季度已完成监测",
        files=[SimpleUploadedFile("监测报告.pdf", tiny_pdf())],
        period=period_containing("quarterly", date(2026, 1, 5)),
        version=1,
    )
    client.force_login(leader)
    page = client.get(_url(r)).content.decode()
    for text in (
        "进度报告",
        "water",
        "水生态环境处",
        "未启动 → 推进中",
        "0% → 55%",
        "一季度已完成监测",
        "监测报告.pdf",
        "2026-01-01—2026-03-31",
    ):
        assert text in page


def test_it_shows_postponement_history_with_the_original_deadline(client, leader, water_staff, requirement):
    p = services.postponement_request(
        requirement=requirement, user=water_staff, new_due=date(2027, 2, 28), reason="雨季施工受限"
    )
    services.postponement_decide(postponement=p, user=leader, approve=True, comment="同意")
    client.force_login(water_staff)
    page = client.get(_url(requirement)).content.decode()
    assert "已批准延期至 2027-02-28" in page and "2026-12-31" in page and "雨季施工受限" in page and "已批准" in page


def test_it_escapes_notes_and_file_names(client, leader, water_staff, requirement):
    services.progress_record(
        requirement=requirement,
        user=water_staff,
        status="in_progress",
        progress=1,
        note="<script>alert('note')</script>",
        files=[SimpleUploadedFile("<b onmouseover=x>.pdf", tiny_pdf())],
        version=1,
    )
    client.force_login(leader)
    page = client.get(_url(requirement)).content.decode()
    assert "<script>alert" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in page
    assert "&lt;b onmouseover=x&gt;.pdf" in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_renders_200_journal_entries_in_as_many_queries_as_two(client, leader, water_staff, requirement):
    def add(n):
        for i in range(n):
            entry = JournalEntry.objects.create(
                requirement=requirement,
                kind="report",
                author=water_staff,
                department=water_staff.departments.first(),
                status_before="in_progress",
                status_after="in_progress",
                progress_before=i,
                progress_after=i + 1,
                note=f"第{i}次",
            )
            entry.evidence.create(
                file=f"evidence/x{i}.pdf", original_name=f"f{i}.pdf", content_type="application/pdf", size=1, sha256="0"
            )

    client.force_login(leader)
    add(2)
    few = _queries(client, _url(requirement))
    add(198)
    many = _queries(client, _url(requirement))
    assert requirement.journal.count() == 200
    assert many == few <= 25


def test_it_renders_a_requirement_in_as_many_queries_among_640_requirements_as_among_64(
    client, leader, water, air, requirement
):
    from tests.tasks.test_dashboard import _add_requirements

    client.force_login(leader)
    _add_requirements(63, water, air)
    few = _queries(client, _url(requirement))
    _add_requirements(640 - 64, water, air)
    many = _queries(client, _url(requirement))
    assert requirement.breakdown.requirements.count() == 640
    assert many == few <= 25


def test_it_says_how_many_days_an_overdue_requirement_is_late(client, water_staff, requirement, monkeypatch):
    from django.utils import timezone

    from tasks.models import Requirement

    client.force_login(water_staff)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 1, 10))  # due 2026-12-31: 10 days late
    page = client.get(_url(requirement)).content.decode()
    assert "已逾期10天（应于 2026-12-31 前）" in page
    Requirement.objects.filter(pk=requirement.pk).update(postponed_to=date(2027, 1, 31))  # postponed: not late
    assert "已逾期" not in client.get(_url(requirement)).content.decode()
