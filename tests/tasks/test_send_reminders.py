from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tasks.reminders import todo_for
from tests.factories import make_breakdown, make_requirement

ON = "2026-06-20"


@pytest.fixture
def owed(reference, water, air, district_staff):
    """水生态环境处: one overdue, one due soon, one missing monthly report; 大气环境处: nothing due."""
    make_breakdown(starts_on=date(2026, 1, 1))
    make_requirement(text="逾期事项", responsible=[water], due_date=date(2026, 6, 1))
    make_requirement(text="临近事项", responsible=[water], due_date=date(2026, 6, 30))
    make_requirement(
        text="每月通报",
        responsible=[water],
        deadline_kind="recurring",
        recurrence="monthly",
        reported_through=date(2026, 4, 30),
    )
    make_requirement(text="大气远期", responsible=[air], due_date=date(2026, 12, 31), progress=90)


def _run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_mails_each_department_staff_their_list(owed, water_staff, air_staff, leader):
    for user in (water_staff, air_staff, leader):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    output = _run("--on", ON)
    assert (
        "Sent 1 reminders (3 items) to staff of 1 departments as of 2026-06-20; 1 staff had nothing due; 0 robot channel messages."
        in output
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["water@example.gov.cn"]
    assert "逾期 1 项" in message.subject and "临近时限 1 项" in message.subject and "待反馈 1 项" in message.subject
    assert "逾期事项" in message.body and "临近事项" in message.body and "每月通报" in message.body
    assert "水生态环境处" in message.body and "大气远期" not in message.body


def test_it_sends_nothing_on_a_dry_run(owed, water_staff):
    water_staff.email = "water@example.gov.cn"
    water_staff.save()
    output = _run("--dry-run", "--on", ON)
    assert mail.outbox == []
    assert "water <water@example.gov.cn>" in output and "Would send 1 reminders (3 items)" in output


def test_it_skips_staff_without_an_email_address(owed, water_staff):
    assert "Sent 0 reminders" in _run("--on", ON)
    assert mail.outbox == []


def test_it_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("send_reminders", "--on", "2026-13-01")


def test_it_chases_a_period_report_only_once_its_period_has_closed(reference, water, water_staff):
    make_breakdown(starts_on=date(2026, 1, 1))
    make_requirement(
        text="季度报告",
        responsible=[water],
        deadline_kind="recurring",
        recurrence="quarterly",
        reported_through=date(2026, 3, 31),
    )
    water_staff.email = "water@example.gov.cn"
    water_staff.save()
    # 06-30: the second quarter is still running (its last day): nothing owed, no reminder, nothing in 我的待办.
    assert "Sent 0 reminders" in _run("--on", "2026-06-30")
    assert mail.outbox == [] and todo_for([water], on=date(2026, 6, 30)).missing_reports == []
    # 07-02: the quarter closed on 06-30, its report is owed within the grace window.
    _run("--on", "2026-07-02")
    [message] = mail.outbox
    assert "季度报告" in message.body and "宽限期内待反馈" in message.body
    assert [i.requirement.text for i in todo_for([water], on=date(2026, 7, 2)).missing_reports] == ["季度报告"]
