"""The three-colour 督办单 (tasks/supervision/notices.py) on fixed dates, the command, the .docx,
delivery by e-mail, the response and the escalation to the lead official."""

import io
import json
import re
import zipfile
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tasks.models import JournalEntry, Requirement, Stage, SupervisionNotice
from tasks.supervision import notices
from tasks.supervision.workdays import add_working_days, working_days_between
from teams.models import Official
from tests.factories import make_requirement


def _run(on, *extra):
    out = io.StringIO()
    call_command("supervision_notices", "--on", on.isoformat(), "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def officials(reference, leader):
    """刘初汉 linked to the leader's account, with an address, so copies and escalations reach someone."""
    leader.email = "liu@example.gov.cn"
    leader.save()
    official, _ = Official.objects.get_or_create(name="刘初汉")
    official.user = leader
    official.save()
    return [official]


@pytest.fixture
def staffed(water_staff):
    water_staff.email = "water@example.gov.cn"
    water_staff.save()
    return water_staff


def test_it_issues_by_colour_on_fixed_dates(requirement, water, officials):
    """Due 2026-12-31, table from 2026-01-01; due-soon window 14 days, behind by more than 20 points."""
    Requirement.objects.filter(pk=requirement.pk).update(progress=30)
    monthly = make_requirement(
        text="每月通报",
        deadline_kind="recurring",
        recurrence="monthly",
        deadline_text="每月",
        responsible=[water],
        officials=officials,
    )
    # 2026-06-03: 41 % of the year gone, 30 % done: on track; May's report owed but within grace.
    assert _run(date(2026, 6, 3), "--dry-run") == []
    # 2026-06-08: May's report is past the 5-day grace → red for the monthly item.
    [red] = _run(date(2026, 6, 8), "--dry-run")
    assert (red["colour"], red["requirement"], red["department"], red["response_due"]) == (
        "red",
        monthly.number,
        "水生态环境处",
        "2026-06-11",
    )
    # 2026-12-20: due in 11 days and 30 % done: due soon AND behind → the higher colour, yellow.
    issued = _run(date(2026, 12, 20), "--dry-run")
    assert {(n["requirement"], n["colour"]) for n in issued} == {
        (requirement.number, "yellow"),
        (monthly.number, "red"),
    }
    # Up to date on progress: due soon only → blue.
    Requirement.objects.filter(pk=requirement.pk).update(progress=99)
    assert [
        (n["requirement"], n["colour"])
        for n in _run(date(2026, 12, 20), "--dry-run")
        if n["requirement"] == requirement.number
    ] == [(requirement.number, "blue")]
    # Past the deadline → red; written off → nothing.
    assert [n["colour"] for n in _run(date(2027, 1, 4), "--dry-run") if n["requirement"] == requirement.number] == [
        "red"
    ]
    Requirement.objects.filter(pk=requirement.pk).update(stage=Stage.CLOSED, status="completed")
    assert [n for n in _run(date(2027, 1, 4), "--dry-run") if n["requirement"] == requirement.number] == []
    assert not SupervisionNotice.objects.exists() and not mail.outbox  # dry runs write and send nothing


def test_it_issues_one_notice_per_colour_per_episode(requirement):
    Requirement.objects.filter(pk=requirement.pk).update(progress=0)
    [first] = _run(date(2026, 6, 1))
    assert (first["number"], first["colour"], first["response_due"]) == ("督办〔2026〕第1号", "yellow", "2026-06-04")
    assert _run(date(2026, 6, 1)) == []  # the same day again
    assert _run(date(2026, 6, 2)) == []  # the next day, still behind
    Requirement.objects.filter(pk=requirement.pk).update(progress=60)
    assert _run(date(2026, 6, 3)) == []  # caught up: the episode ends, nothing issued
    assert SupervisionNotice.objects.get().episode_ended_on == date(2026, 6, 3)
    Requirement.objects.filter(pk=requirement.pk).update(progress=60, stage=Stage.RETURNED)
    [again] = _run(date(2026, 6, 4))  # returned for rework: a new yellow episode
    assert (again["number"], again["colour"], again["reason"]) == ("督办〔2026〕第2号", "yellow", "returned")
    # Overdue while still returned: red is higher; yellow stays open, so nothing twice.
    [red] = _run(date(2027, 1, 4))
    assert (red["number"], red["colour"]) == ("督办〔2027〕第1号", "red")  # numbered per year
    assert _run(date(2027, 1, 5)) == []
    assert SupervisionNotice.objects.filter(episode_ended_on__isnull=True).count() == 2
    assert JournalEntry.objects.filter(kind="notice").count() == 3


def test_it_issues_nothing_while_the_office_reviews_an_application(requirement, water_staff):
    Requirement.objects.filter(pk=requirement.pk).update(progress=0)
    from tasks.supervision import loop

    loop.completion_apply(requirement=requirement, user=water_staff, note="完成", version=requirement.version)
    assert _run(date(2026, 6, 1)) == []


def test_it_sends_the_notice_to_the_department_copied_to_the_lead_official(requirement, staffed, officials):
    requirement.lead_officials.set(officials)
    Requirement.objects.filter(pk=requirement.pk).update(progress=0)
    out = io.StringIO()
    call_command("supervision_notices", "--on", "2026-06-01", stdout=out)
    assert "Issued 1 notices as of 2026-06-01 (0 red, 1 yellow, 0 blue); 1 sent by e-mail." in out.getvalue()
    # Each address its own message (one delivery per address: a refused one is retried alone).
    assert sorted(m.to[0] for m in mail.outbox) == ["liu@example.gov.cn", "water@example.gov.cn"]
    for message in mail.outbox:
        assert len(message.to) == 1 and message.cc == []
        assert "督办〔2026〕第1号" in message.subject and "黄单" in message.subject
        assert "2026-06-04" in message.body and "消除黑臭水体" in message.body
        [(name, content, mimetype)] = message.attachments
        assert name == "督办〔2026〕第1号.docx" and mimetype.endswith("wordprocessingml.document")
        assert "督办〔2026〕第1号" in zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert SupervisionNotice.objects.get().sent_at is not None


def test_a_notice_whose_mail_failed_is_sent_by_the_next_run_after_its_back_off(
    requirement, staffed, settings, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from notify.models import Delivery

    Requirement.objects.filter(pk=requirement.pk).update(progress=0)
    settings.EMAIL_BACKEND = "tests.notify.failing_mail.EmailBackend"  # the mail server is down
    out, err = io.StringIO(), io.StringIO()
    call_command("supervision_notices", "--on", "2026-06-01", stdout=out, stderr=err)
    notice = SupervisionNotice.objects.get()
    row = Delivery.objects.get(event_key=f"notice:{notice.pk}", medium="email")
    assert (row.state, row.attempts, row.recipient) == ("failed", 1, "water@example.gov.cn")
    assert row.attachment_name == "督办〔2026〕第1号.docx" and bytes(row.attachment).startswith(b"PK")
    assert "FAILED notice:" in err.getvalue() and "SMTPServerDisconnected" in err.getvalue()
    assert notice.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    call_command("supervision_notices", "--on", "2026-06-01", stdout=io.StringIO())
    assert mail.outbox == []  # within the back-off (10 minutes after the attempt): not yet
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    out = io.StringIO()
    call_command("supervision_notices", "--on", "2026-06-01", stdout=out)
    assert "Retried 1 earlier deliveries: 1 sent, 0 failed." in out.getvalue()
    [message] = mail.outbox
    assert message.to == ["water@example.gov.cn"] and message.attachments[0][0] == "督办〔2026〕第1号.docx"
    row.refresh_from_db()
    notice.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2) and notice.sent_at == row.sent_at
    call_command("supervision_notices", "--on", "2026-06-01", stdout=io.StringIO())
    call_command("send_reminders", "--on", "2026-06-01", stdout=io.StringIO())
    assert len([m for m in mail.outbox if "督办〔2026〕第1号" in m.subject]) == 1  # never twice


def test_send_reminders_also_retries_a_failed_notice(requirement, staffed, settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    Requirement.objects.filter(pk=requirement.pk).update(progress=0)
    settings.EMAIL_BACKEND = "tests.notify.failing_mail.EmailBackend"
    call_command("supervision_notices", "--on", "2026-06-01", stdout=io.StringIO(), stderr=io.StringIO())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("send_reminders", "--on", "2026-06-01", stdout=io.StringIO(), stderr=io.StringIO())
    notices_mail = [m for m in mail.outbox if "督办〔2026〕第1号" in m.subject]
    assert len(notices_mail) == 1 and notices_mail[0].attachments
    assert SupervisionNotice.objects.get().sent_at is not None


def test_it_writes_a_one_page_a4_docx(client, requirement, water_staff, officials):
    requirement.lead_officials.set(officials)
    Requirement.objects.filter(pk=requirement.pk).update(completion_criteria="全部消黑")
    notice = notices.notice_issue_by_hand(requirement=requirement, user=None, colour="red", on=date(2026, 12, 2))
    client.force_login(water_staff)
    response = client.get(reverse("tasks:notice-download", args=[notice.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    # Read back as the zip of XML it is, not through the library that wrote it.
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert 'w:w="11906"' in xml and 'w:h="16838"' in xml  # A4 in twentieths of a point
    assert 'w:top="2098"' in xml and 'w:left="1587"' in xml  # 37 mm and 28 mm
    for text in (
        "督办〔2026〕第1号",
        "督办单（红单）",
        "消除黑臭水体",
        "水生态环境处",
        "大气环境处",
        "刘初汉",
        "全部消黑",
        "2026年12月7日",
        "2026年12月2日",
        "抄送：刘初汉",
    ):
        assert text in xml, text
    assert 'w:color="C00000"' in xml or 'w:val="C00000"' in xml
    assert xml.count('<w:br w:type="page"/>') == 0
    page = client.get(reverse("tasks:notice-detail", args=[notice.pk])).content.decode()
    assert "督办〔2026〕第1号" in page and "2026年12月7日" in page and "抄送：" in page


def test_it_takes_the_answer_and_escalates_an_unanswered_red_notice(client, requirement, staffed, officials, leader):
    requirement.lead_officials.set(officials)
    [red] = _run(date(2027, 1, 5))  # Tuesday; three working days → Friday 2027-01-08
    assert red["response_due"] == "2027-01-08"
    notice = SupervisionNotice.objects.get()
    assert not notice.is_escalated(on=date(2027, 1, 8)) and notice.is_escalated(on=date(2027, 1, 11))
    assert list(SupervisionNotice.objects.escalated(on=date(2027, 1, 11))) == [notice]
    mail.outbox.clear()
    out = io.StringIO()
    call_command("send_reminders", "--on", "2027-01-11", stdout=out)
    assert "Sent 1 escalation reminders (1 unanswered red notices) to lead officials." in out.getvalue()
    escalation = [m for m in mail.outbox if m.to == ["liu@example.gov.cn"]]
    assert len(escalation) == 1 and "督办〔2027〕第1号" in escalation[0].body

    from tasks.supervision.todo import oversight_for

    assert oversight_for(leader, on=date(2027, 1, 11)).escalated == [notice]
    assert oversight_for(leader, on=date(2027, 1, 8)).copied == [notice]

    client.force_login(staffed)
    response = client.post(reverse("tasks:notice-respond", args=[notice.pk]), {"note": "征地问题已解决，月底完成"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.responded_by == staffed and notice.response_entry.note.endswith("征地问题已解决，月底完成")
    assert oversight_for(leader, on=date(2027, 1, 11)).escalated == []
    # Answered once: a second answer is refused and writes nothing.
    entries = JournalEntry.objects.count()
    assert client.post(reverse("tasks:notice-respond", args=[notice.pk]), {"note": "再答"}).status_code == 409
    assert JournalEntry.objects.count() == entries


def test_it_refuses_a_second_hand_notice_of_the_same_colour_in_the_episode(client, requirement, supervisor):
    client.force_login(supervisor)
    url = reverse("tasks:notice-issue", args=[requirement.pk])
    assert client.post(url, {"colour": "red", "asked": "请说明原因"}).status_code == 302
    response = client.post(url, {"colour": "red"})
    assert response.status_code == 409 and "同一情形不重复签发" in response.content.decode()
    notice = SupervisionNotice.objects.get()
    assert (notice.asked, notice.issued_by, notice.number) == ("请说明原因", supervisor, f"督办〔{notice.year}〕第1号")
    assert client.post(url, {"colour": "purple"}).status_code == 200 and SupervisionNotice.objects.count() == 1


def test_it_counts_working_days_with_a_holiday_calendar(settings):
    assert add_working_days(date(2026, 6, 1), 3) == date(2026, 6, 4)  # Monday → Thursday
    assert add_working_days(date(2026, 6, 5), 3) == date(2026, 6, 10)  # Friday → Wednesday
    settings.TIEJU_HOLIDAYS = ["2026-06-02"]
    assert add_working_days(date(2026, 6, 1), 3) == date(2026, 6, 5)
    settings.TIEJU_EXTRA_WORKDAYS = ["2026-06-06"]  # a Saturday worked in lieu (调休)
    assert add_working_days(date(2026, 6, 5), 1) == date(2026, 6, 6)
    assert working_days_between(date(2026, 6, 5), date(2026, 6, 8)) == 2


def test_it_lists_unsigned_items_after_the_set_working_days(settings, requirement, water_staff, supervisor):
    from django.utils import timezone

    from tasks.models import Acknowledgement
    from tasks.reminders import todo_for
    from tasks.supervision.loop import acknowledgements_open
    from tasks.supervision.todo import oversight_for

    settings.TIEJU_SIGN_WITHIN_DAYS = 2
    acknowledgements_open([requirement.pk], at=timezone.make_aware(timezone.datetime(2026, 6, 5, 9)))  # Friday
    water = water_staff.departments.all()
    assert len(todo_for(water, on=date(2026, 6, 8)).unsigned) == 1  # the page lists it at once
    assert todo_for(water, on=date(2026, 6, 8), late_signatures_only=True).unsigned == []  # one working day
    assert oversight_for(supervisor, on=date(2026, 6, 8)).unsigned == []
    assert len(todo_for(water, on=date(2026, 6, 9), late_signatures_only=True).unsigned) == 1
    assert [a.requirement for a in oversight_for(supervisor, on=date(2026, 6, 9)).unsigned] == [requirement]
    Acknowledgement.objects.update(signed_at=timezone.now())
    assert oversight_for(supervisor, on=date(2026, 6, 9)).unsigned == []


def test_it_answers_help_and_counts_in_plain_output(requirement):
    Requirement.objects.filter(pk=requirement.pk).update(progress=0)
    out = io.StringIO()
    call_command("supervision_notices", "--on", "2026-06-01", "--dry-run", stdout=out)
    assert "督办〔2026〕第1号 yellow" in out.getvalue()
    assert "Would issue 1 notices as of 2026-06-01 (0 red, 1 yellow, 0 blue)." in out.getvalue()
    assert not SupervisionNotice.objects.exists()


def test_it_gives_each_unanswered_notice_its_own_answer_form(client, requirement, staffed):
    """Two notices open on one page (a 黄单, then a 红单): each answer form has its own field ids, and a
    refused answer shows its error under its own notice only."""
    yellow = notices.notice_issue_by_hand(requirement=requirement, user=None, colour="yellow", on=date(2026, 6, 1))
    red = notices.notice_issue_by_hand(requirement=requirement, user=None, colour="red", on=date(2026, 7, 1))
    client.force_login(staffed)
    page = reverse("tasks:requirement-detail", args=[requirement.pk])
    html = client.get(page).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    forms = re.findall(r'<form[^>]*action="/notices/(\d+)/respond/"(.*?)</form>', html, re.S)
    assert sorted(int(pk) for pk, _body in forms) == sorted([yellow.pk, red.pk])
    for _pk, body in forms:  # each label names a field of its own form
        assert all(f'id="{target}"' in body for target in re.findall(r'<label for="([^"]+)"', body))

    response = client.post(reverse("tasks:notice-respond", args=[red.pk]), {"note": ""})
    assert response.status_code == 200
    answered = dict(
        re.findall(r'<form[^>]*action="/notices/(\d+)/respond/"(.*?)</form>', response.content.decode(), re.S)
    )
    assert 'class="error"' in answered[str(red.pk)] and 'class="error"' not in answered[str(yellow.pk)]
    assert not SupervisionNotice.objects.filter(responded_at__isnull=False).exists()
