"""What a department owes (催办): shared by `send_reminders` and the 我的待办 page."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tasks.lights import RED, REASONS
from tasks.models import Requirement


@dataclass
class Todo:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    missing_reports: list = field(default_factory=list)

    def __len__(self):
        return len(self.overdue) + len(self.due_soon) + len(self.missing_reports)

    @property
    def sections(self):
        return [
            ("overdue", _("已逾期"), self.overdue),
            ("due_soon", _("临近时限"), self.due_soon),
            ("missing_reports", _("待反馈"), self.missing_reports),
        ]


@dataclass(frozen=True)
class Item:
    requirement: Requirement
    light: object
    next_due: object

    @property
    def reason(self):
        return REASONS[self.light.reason]


def todo_for(departments, *, on):
    """The requirements the departments are responsible for that need action, in a fixed number of queries.

    overdue: dated, past the effective deadline; due_soon: dated, within TIEJU_DUE_SOON_DAYS;
    missing_reports: recurring or ongoing whose period report is owed (late or due soon).
    """
    todo = Todo()
    departments = list(departments)
    if not departments:
        return todo
    requirements = (
        Requirement.objects.active().in_current_breakdown().responsible_for(*departments)
        .exclude(status="completed").select_related("breakdown", "task__pillar").order_by("number")
    )
    for requirement in requirements:
        light = requirement.light(on=on)
        item = Item(requirement, light, requirement.next_due(on=on))
        if light.reason == "overdue":
            todo.overdue.append(item)
        elif light.reason == "due_soon":
            todo.due_soon.append(item)
        elif light.reason in ("report_overdue", "report_due"):
            todo.missing_reports.append(item)
    todo.missing_reports.sort(key=lambda i: (i.light.code != RED, i.requirement.number))
    return todo
