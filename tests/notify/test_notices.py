"""督办单 reach the responsible department's robot channels too, once per notice and channel."""

import io
import json
from datetime import date

from django.core.management import call_command

from notify.models import Delivery
from tasks.models import SupervisionNotice
from tests.factories import make_breakdown, make_requirement


def test_a_notice_goes_to_the_departments_robot_once(receiver, wecom, water):
    make_breakdown(starts_on=date(2026, 1, 1))
    make_requirement(text="消除黑臭水体", responsible=[water], due_date=date(2026, 12, 31), progress=0)
    for _ in range(2):  # a second run the same day issues and sends nothing more
        call_command("supervision_notices", "--on", "2026-06-01", stdout=io.StringIO())
    notice = SupervisionNotice.objects.get()
    [request] = receiver.received
    message = json.loads(request["body"])
    assert message["msgtype"] == "markdown" and notice.number in message["markdown"]["content"]
    assert "消除黑臭水体" in message["markdown"]["content"]
    [delivery] = Delivery.objects.filter(event_key=f"notice:{notice.pk}")
    assert (delivery.state, delivery.channel) == (Delivery.State.SENT, wecom)
    assert notice.sent_at is not None
