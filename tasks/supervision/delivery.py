"""The one call point for sending a 督办单: `notice_send(notice)`.

Today it mails the responsible departments' staff, copying the lead officials' linked accounts,
through Django's mail with the notice's .docx attached. Notification channels (企业微信, 钉钉) are
to be plugged in here and nowhere else.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

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
    """Send the notice; returns the number of addresses it went to (0 when nobody has an address)."""
    from tasks.supervision.documents import notice_docx

    to, cc = notice_recipients(notice)
    if not to and not cc:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notice": notice, "requirement": notice.requirement}
        subject = render_to_string("tasks/email/notice_subject.txt", context).strip()
        body = render_to_string("tasks/email/notice.txt", context)
        message = EmailMessage(subject, body, None, to or cc, cc=cc if to else [])
        message.attach(f"{notice.number}.docx", notice_docx(notice), DOCX)
        message.send()
    SupervisionNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return len(to) + len(cc)
