"""The one call point for sending a 督办单: `notice_send(notice)`.

It mails the responsible departments' staff, copying the lead officials' linked accounts, through
Django's mail with the notice's .docx attached, and posts it to the responsible departments' robot
channels (企业微信, 钉钉) through `notify`, which records each delivery, never sends it twice and
retries a failure on the next `send_reminders` run.
"""

from django.conf import settings
from django.core.mail import EmailMessage
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
    """Send the notice; returns the number of e-mail addresses it went to (robot posts are recorded as
    deliveries). It counts as sent once a mail or a robot post went out."""
    from tasks.supervision.documents import notice_docx

    to, cc = notice_recipients(notice)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notice": notice, "requirement": notice.requirement}
        subject = render_to_string("tasks/email/notice_subject.txt", context).strip()
        body = render_to_string("tasks/email/notice.txt", context)
        if to or cc:
            message = EmailMessage(subject, body, None, to or cc, cc=cc if to else [])
            message.attach(f"{notice.number}.docx", notice_docx(notice), DOCX)
            message.send()
        posted = [
            delivery
            for department in notice.requirement.departments_in(Assignment.Role.RESPONSIBLE)
            for delivery in notify(f"notice:{notice.pk}", department, subject, body)
        ]
    if to or cc or any(d.state == Delivery.State.SENT for d in posted):
        SupervisionNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return len(to) + len(cc)
