"""The one call point for sending a 督办单: `notice_send(notice)`.

It mails the responsible departments' staff and the lead officials' linked accounts, each their own
message with the notice's .docx attached, and posts it to the responsible departments' robot channels
(企业微信, 钉钉). All of it goes through `notify`: one delivery per address and channel, never sent twice,
and a failure retried with back-off by the next `supervision_notices` or `send_reminders` run, after
which `notices_mark_sent()` stamps the notices that have gone out since.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notify.delivery import notify
from notify.models import Delivery
from tasks.models import Assignment, SupervisionNotice
from teams.models import User

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def notice_recipients(notice):
    """(to, cc) e-mail addresses: staff of the responsible departments; the lead officials' accounts."""
    requirement = notice.requirement
    departments = requirement.departments_in(Assignment.Role.RESPONSIBLE)
    staff = User.objects.filter(is_active=True, departments__in=departments).exclude(email="")
    to = sorted({u.email for u in staff})
    officials = requirement.lead_officials.filter(user__is_active=True).exclude(user__email="")
    cc = sorted({o.user.email for o in officials.select_related("user")} - set(to))
    return to, cc


def notice_send(notice):
    """Send the notice; returns the number of e-mail addresses it reached now (robot posts are recorded as
    deliveries too). It counts as sent once a mail or a robot post went out."""
    from tasks.supervision.documents import notice_docx

    to, cc = notice_recipients(notice)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notice": notice, "requirement": notice.requirement}
        subject = render_to_string("tasks/email/notice_subject.txt", context).strip()
        body = render_to_string("tasks/email/notice.txt", context)
        key = notice_event_key(notice)
        rows = []
        if to or cc:
            attachment = (f"{notice.number}.docx", notice_docx(notice), DOCX)
            rows += notify(key, None, subject, body, emails=to + cc, attachment=attachment)
        for department in notice.requirement.departments_in(Assignment.Role.RESPONSIBLE):
            rows += notify(key, department, subject, body)
    if any(d.state == Delivery.State.SENT for d in rows):
        SupervisionNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sum(d.state == Delivery.State.SENT and d.medium == Delivery.Medium.EMAIL for d in rows)


def notice_event_key(notice):
    return f"notice:{notice.pk}"


def notices_mark_sent():
    """Stamp sent_at on notices not yet marked whose delivery a later retry got through; returns how many."""
    waiting = {notice_event_key(n): n.pk for n in SupervisionNotice.objects.filter(sent_at__isnull=True).only("pk")}
    if not waiting:
        return 0
    sent = (
        Delivery.objects.filter(event_key__in=waiting, state=Delivery.State.SENT)
        .values_list("event_key", "sent_at")
        .order_by("sent_at")
    )
    first = {}
    for key, sent_at in sent:
        first.setdefault(key, sent_at)
    for key, sent_at in first.items():
        SupervisionNotice.objects.filter(pk=waiting[key], sent_at__isnull=True).update(sent_at=sent_at)
    return len(first)
