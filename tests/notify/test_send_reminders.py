"""send_reminders posts each department's list to its robot channels once a day and retries what failed."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notify.models import Delivery
from teams.models import Department
from tests.factories import make_breakdown, make_requirement

ON = "2026-06-20"


@pytest.fixture
def owed(reference, water):
    """水生态环境处: one overdue, one due soon; 大气环境处 (with a channel too) owes nothing."""
    make_breakdown(starts_on=date(2026, 1, 1))
    make_requirement(
        number=7, text="逾期事项", responsible=[water], deadline_text="2026年6月1日前", due_date=date(2026, 6, 1)
    )
    make_requirement(
        number=8, text="临近事项", responsible=[water], deadline_text="2026年6月底前", due_date=date(2026, 6, 30)
    )
    air = Department.objects.get(name="大气环境处")
    make_requirement(text="大气远期", responsible=[air], due_date=date(2026, 12, 31), progress=90)


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("send_reminders", "--on", ON, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_posts_the_department_list_to_its_channel(receiver, wecom, owed, water_staff):
    water_staff.email = "water@example.gov.cn"
    water_staff.save()
    out, err = _run()
    [request] = receiver.received
    content = json.loads(request["body"])["markdown"]["content"]
    assert content.splitlines() == [
        "### 【铁军任务通】水生态环境处催办：逾期 1 项，临近时限 1 项，待反馈 0 项",
        "截至 2026-06-20，水生态环境处有以下具体要求需要办理：",
        "",
        "已逾期（1）",
        "- 7. 逾期事项（2026年6月1日前，到期 2026-06-01；已逾期）",
        "",
        "临近时限（1）",
        "- 8. 临近事项（2026年6月底前，到期 2026-06-30；临近时限）",
        "",
        "请登录铁军任务通填报进度，或在“我的待办”中查看。",
    ]
    assert len(mail.outbox) == 1
    assert "1 robot channel messages." in out and "Deliveries: 2 sent now, 0 already sent earlier" in out
    assert err == ""
    assert set(Delivery.objects.values_list("event_key", "medium", "state")) == {
        ("reminders:2026-06-20", "wecom", "sent"),
        ("reminders:2026-06-20", "email", "sent"),
    }


def test_it_sends_nothing_twice_when_run_again_the_same_day(receiver, wecom, owed, water_staff):
    water_staff.email = "water@example.gov.cn"
    water_staff.save()
    _run()
    out, _err = _run()
    assert len(receiver.received) == 1 and len(mail.outbox) == 1
    assert "Deliveries: 0 sent now, 2 already sent earlier for this day, 0 failed." in out


def test_it_lists_channel_messages_on_a_dry_run(receiver, wecom, owed):
    out, _err = _run("--dry-run")
    assert "企业微信群机器人 水处工作群: 【铁军任务通】水生态环境处催办" in out
    assert receiver.received == [] and Delivery.objects.count() == 0


def test_it_retries_a_failed_post_on_the_next_run(receiver, wecom, owed):
    receiver.answers = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"}), (200, {"errcode": 0})]
    out, err = _run()
    assert "FAILED reminders:2026-06-20 → 企业微信群机器人 水处工作群 (attempt 1, retry after" in err
    assert "45009" in err

    # The next cron run, once the back-off has passed, retries it before anything else.
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    out, err = _run()
    assert "Retried 1 earlier deliveries: 1 sent, 0 failed." in out and err == ""
    assert len(receiver.received) == 2 and receiver.received[0]["body"] == receiver.received[1]["body"]
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_it_waits_out_the_back_off_on_an_early_run(receiver, wecom, owed):
    receiver.answers = [(500, b"busy"), (200, {"errcode": 0})]
    _run()
    out, _err = _run()
    assert len(receiver.received) == 1 and "Retried" not in out
    assert Delivery.objects.get().state == "failed"
