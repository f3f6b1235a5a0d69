"""The traffic light (亮灯) of a requirement, defined once.

Rules (documented in the README, "Traffic lights"):

* status 已完成 → COMPLETED.
* A dated requirement: past its effective deadline (an approved postponement
  replaces the original) → RED; due within TIEJU_DUE_SOON_DAYS, or its
  progress more than TIEJU_BEHIND_SCHEDULE_POINTS behind the share of time
  elapsed since the table took effect (序时进度) → YELLOW; otherwise GREEN.
* A recurring requirement (每周…每年), and an ongoing one (长期坚持, reported
  quarterly): the report for the last closed period missing once
  TIEJU_REPORT_GRACE_DAYS have passed → RED (反馈逾期); missing but still
  within the grace, or the current period's report not filed and the period
  ending within the due-soon window → YELLOW; otherwise GREEN.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.periods import period_containing

COMPLETED = "completed"
GREEN = "green"
YELLOW = "yellow"
RED = "red"

LIGHT_CHOICES = [
    (RED, _("红灯")),
    (YELLOW, _("黄灯")),
    (GREEN, _("绿灯")),
    (COMPLETED, _("已完成")),
]
LIGHT_LABELS = dict(LIGHT_CHOICES)


@dataclass(frozen=True)
class Light:
    code: str
    reason: str = ""

    @property
    def label(self):
        return LIGHT_LABELS[self.code]

    @property
    def reason_label(self):
        return REASONS.get(self.reason, "")

    def __str__(self):
        return str(self.label)


REASONS = {
    "done": _("已完成"),
    "overdue": _("已逾期"),
    "due_soon": _("临近时限"),
    "behind": _("落后于序时进度"),
    "on_track": _("按计划推进"),
    "report_overdue": _("反馈逾期"),
    "report_due": _("本期待反馈"),
    "reported": _("本期已反馈"),
}


def compute_light(*, status, progress, deadline_kind, due_date, postponed_to, recurrence, reported_through, starts_on, on):
    """Pure function of the fields it reads, so lists can compute it without extra queries."""
    if status == "completed":
        return Light(COMPLETED, "done")
    due_soon = timedelta(days=settings.TIEJU_DUE_SOON_DAYS)
    if deadline_kind == "date":
        due = postponed_to or due_date
        if due is None:
            return Light(GREEN, "on_track")
        if on > due:
            return Light(RED, "overdue")
        if due - on <= due_soon:
            return Light(YELLOW, "due_soon")
        if starts_on and starts_on < due and on > starts_on:
            expected = (on - starts_on).days * 100 / (due - starts_on).days
            if (progress or 0) < expected - settings.TIEJU_BEHIND_SCHEDULE_POINTS:
                return Light(YELLOW, "behind")
        return Light(GREEN, "on_track")

    every = recurrence if deadline_kind == "recurring" else "quarterly"
    current = period_containing(every, on)
    previous = current.previous()
    grace = timedelta(days=settings.TIEJU_REPORT_GRACE_DAYS)
    previous_required = starts_on is None or previous.end >= starts_on
    if previous_required and (reported_through is None or reported_through < previous.end):
        if on > previous.end + grace:
            return Light(RED, "report_overdue")
        return Light(YELLOW, "report_due")
    if reported_through is not None and reported_through >= current.end:
        return Light(GREEN, "reported")
    if current.end - on <= due_soon:
        return Light(YELLOW, "report_due")
    return Light(GREEN, "on_track")


def next_due(*, deadline_kind, due_date, postponed_to, recurrence, reported_through, starts_on, on):
    """The date the written deadline means next, by the same period rules as the light: the effective
    deadline of a dated requirement; for a recurring or ongoing one, the end of the earliest period
    whose report is still owed (a missed closed period first, else the current one, else the next)."""
    if deadline_kind == "date":
        return postponed_to or due_date
    every = recurrence if deadline_kind == "recurring" else "quarterly"
    current = period_containing(every, on)
    previous = current.previous()
    previous_required = starts_on is None or previous.end >= starts_on
    if previous_required and (reported_through is None or reported_through < previous.end):
        return previous.end
    if reported_through is not None and reported_through >= current.end:
        return current.next().end
    return current.end
