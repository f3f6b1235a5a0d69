"""What a department owes (催办): shared by `send_reminders` and the 我的待办 page."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.choices import LightCode, LightReason, Status
from tasks.models import Acknowledgement, Requirement, Stage, SupervisionNotice
from tasks.supervision.workdays import working_days_between


@dataclass
class Todo:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    missing_reports: list = field(default_factory=list)
    # The supervision loop: 签收 still owed, 督办单 to answer, items returned for rework.
    unsigned: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    returned: list = field(default_factory=list)

    def __len__(self):
        return sum(len(items) for _code, _label, items in self.sections)

    @property
    def sections(self):
        return [
            ("unsigned", _("待签收"), self.unsigned),
            ("notices", _("待回复的督办单"), self.notices),
            ("returned", _("退回整改"), self.returned),
            ("overdue", _("已逾期"), self.overdue),
            ("due_soon", _("临近时限"), self.due_soon),
            ("missing_reports", _("待反馈"), self.missing_reports),
        ]


@dataclass(frozen=True)
class Item:
    requirement: Requirement
    light: object
    next_due: object
    note: str = ""

    @property
    def reason(self):
        return self.note or LightReason(self.light.reason).label


def todo_for(departments, *, on, late_signatures_only=False):
    """The requirements the departments are responsible for that need action, in a fixed number of queries.

    overdue: dated, past the effective deadline; due_soon: dated, within TIEJU_DUE_SOON_DAYS;
    missing_reports: recurring or ongoing whose closed period's report is owed (in or past its grace window).
    """
    todo = Todo()
    departments = list(departments)
    if not departments:
        return todo
    requirements = (
        Requirement.objects.active()
        .in_current_breakdown()
        .responsible_for(*departments)
        .exclude(status=Status.COMPLETED)
        .select_related("breakdown", "task__pillar")
        .order_by("number")
    )
    for requirement in requirements:
        light = requirement.light(on=on)
        item = Item(requirement, light, requirement.next_due(on=on))
        if light.reason == LightReason.OVERDUE:
            todo.overdue.append(item)
        elif light.reason == LightReason.DUE_SOON:
            todo.due_soon.append(item)
        elif light.reason in (LightReason.REPORT_OVERDUE, LightReason.REPORT_DUE):
            todo.missing_reports.append(item)
    todo.missing_reports.sort(key=lambda i: (i.light.code != LightCode.RED, i.requirement.number))
    _loop_items(todo, departments, on=on, late_signatures_only=late_signatures_only)
    return todo


def _loop_items(todo, departments, *, on, late_signatures_only):
    """签收 owed, unanswered 督办单 and 退回整改 of the departments. A signature is late once
    TIEJU_SIGN_WITHIN_DAYS working days have passed since the assignment; reminders
    (late_signatures_only=True) chase only late ones, the page lists all."""
    mine = Requirement.objects.active().responsible_for(*departments)
    related = ("requirement__breakdown", "requirement__task__pillar")
    signs = (
        Acknowledgement.objects.filter(
            department__in=departments, signed_at__isnull=True, requirement__in=mine.exclude(stage=Stage.CLOSED)
        )
        .select_related(*related)
        .order_by("requirement__number")
    )
    seen = set()
    for ack in signs:
        assigned = timezone.localdate(ack.assigned_at)
        late = working_days_between(assigned, on) >= settings.TIEJU_SIGN_WITHIN_DAYS
        if ack.requirement_id in seen or (late_signatures_only and not late):
            continue
        seen.add(ack.requirement_id)
        r = ack.requirement
        if late:
            note = _("%(date)s 交办，超过 %(n)d 个工作日未签收") % {
                "date": assigned.isoformat(),
                "n": settings.TIEJU_SIGN_WITHIN_DAYS,
            }
        else:
            note = _("%(date)s 交办，待签收") % {"date": assigned.isoformat()}
        todo.unsigned.append(Item(r, r.light(on=on), r.next_due(on=on), note))
    notices = SupervisionNotice.objects.unanswered().filter(requirement__in=mine).select_related(*related)
    for notice in notices.order_by("response_due", "serial"):
        r = notice.requirement
        note = _("%(number)s %(colour)s，请于 %(date)s 前回复") % {
            "number": notice.number,
            "colour": notice.get_colour_display(),
            "date": notice.response_due.isoformat(),
        }
        todo.notices.append(Item(r, r.light(on=on), r.next_due(on=on), note))
    for r in mine.filter(stage=Stage.RETURNED).select_related("breakdown", "task__pillar").order_by("number"):
        note = _("整改时限 %(date)s") % {"date": r.rework_due.isoformat()} if r.rework_due else ""
        todo.returned.append(Item(r, r.light(on=on), r.next_due(on=on), note))
