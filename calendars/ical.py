"""The iCalendar (RFC 5545) feed of a user's deadlines, written with the `icalendar` library.

A dated requirement is one all-day event on its effective deadline (a postponement moves it). A recurring
or ongoing requirement is one all-day event on the end of the earliest period whose report is still owed,
repeating at each later period end (RRULE), so it moves forward as reports are filed. UIDs are stable per
requirement, so a calendar app updates the event instead of adding another when the date moves.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from tasks.choices import DeadlineKind, Recurrence, Status
from tasks.models import Requirement

# The period ends each recurrence reports at (tasks/periods.py): weeks end on Sunday, the others on a month's end.
RRULES = {
    Recurrence.WEEKLY: {"FREQ": "WEEKLY"},
    Recurrence.MONTHLY: {"FREQ": "MONTHLY", "BYMONTHDAY": -1},
    Recurrence.QUARTERLY: {"FREQ": "MONTHLY", "INTERVAL": 3, "BYMONTHDAY": -1},
    Recurrence.HALF_YEARLY: {"FREQ": "MONTHLY", "INTERVAL": 6, "BYMONTHDAY": -1},
    Recurrence.YEARLY: {"FREQ": "YEARLY", "BYMONTH": 12, "BYMONTHDAY": -1},
}


def feed_requirements(user, *, on):
    """The open requirements of the user's departments (responsible or cooperating) and those the user leads
    as lead official (主管领导), with `light_reason` and `next_due_on` as of `on`."""
    departments = list(user.departments.all())
    scope = Q(lead_officials__user=user)
    if departments:
        scope |= Q(pk__in=Requirement.objects.involving(*departments).values("pk"))
    return (
        Requirement.objects.visible_to(user)
        .active()
        .in_current_breakdown()
        .exclude(status=Status.COMPLETED)
        .filter(scope)
        .distinct()
        .with_lights(on=on)
        .select_related("breakdown")
        .prefetch_related("assignments__department", "assignments__collective", "lead_officials")
        .order_by("number")
    )


def feed_calendar(user, *, base_url, on=None):
    """The user's calendar as bytes (text/calendar, UTF-8)."""
    on = on or timezone.localdate()
    stamp = datetime.now(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Shenzhen Ecology and Environment Bureau//tieju//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("铁军任务通 · %(user)s") % {"user": user})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Hints to calendar apps to re-read the feed hourly (Apple, Google and Outlook read one or the other).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    host = base_url.split("//", 1)[-1].split("/", 1)[0] or "tieju"
    for requirement in feed_requirements(user, on=on):
        event = _event(requirement, base_url=base_url, host=host, stamp=stamp)
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()


def _event(requirement, *, base_url, host, stamp):
    day = requirement.next_due_on
    if day is None:
        return None
    event = Event()
    title = requirement.text if len(requirement.text) <= 60 else requirement.text[:59] + "…"
    if requirement.deadline_kind == DeadlineKind.DATE:
        event.add("uid", f"requirement-{requirement.pk}-deadline@{host}")
        event.add("summary", _("【完成时限】%(number)s. %(text)s") % {"number": requirement.number, "text": title})
    else:
        every = requirement.report_every
        event.add("uid", f"requirement-{requirement.pk}-report@{host}")
        event.add("summary", _("【进度反馈】%(number)s. %(text)s") % {"number": requirement.number, "text": title})
        event.add("rrule", vRecur(RRULES[every]))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    if requirement.updated_at:
        event.add("last-modified", requirement.updated_at.astimezone(UTC).replace(microsecond=0))
    url = base_url.rstrip("/") + reverse("tasks:requirement-detail", args=[requirement.pk])
    event.add("url", url)
    event.add("description", _description(requirement, url))
    return event


def _description(requirement, url):
    lines = [requirement.text, "", _("完成时限：%(text)s") % {"text": requirement.deadline_text}]
    if requirement.postponed_to:
        lines.append(_("已延期至：%(day)s") % {"day": requirement.postponed_to.isoformat()})
    if requirement.reports_periodically:
        lines.append(_("反馈宽限：周期结束后 %(days)d 天") % {"days": settings.TIEJU_REPORT_GRACE_DAYS})
    lines += [
        _("责任部门：%(names)s") % {"names": "、".join(requirement.responsible_names)},
        _("配合部门：%(names)s") % {"names": "、".join(requirement.cooperating_names) or "—"},
        _("主管领导：%(names)s") % {"names": "、".join(o.name for o in requirement.lead_officials.all())},
        _("状态：%(status)s，进度 %(progress)d%%")
        % {"status": requirement.get_status_display(), "progress": requirement.progress},
        url,
    ]
    return "\n".join(lines)
