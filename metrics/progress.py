"""Progress of the task table as it stood at a date, reconstructed from the journal.

The requirement rows hold only the current status. For a bulletin of an earlier month,
each requirement's status, progress, reports and postponement are rebuilt from its
JournalEntry history and its Postponement decisions: the last change on or before the
date wins; with none yet, the state before the first later change applies; a requirement
whose journal never changed its status keeps its current one. Lights are then computed
by tasks.lights with `on` set to that date, so a bulletin says what was true at the end
of its month and "change since last month" compares two such reconstructions.

Everything is read in a fixed number of queries, whatever the size of the history: the
requirements with their lead officials, their history (journal and approved postponements
together), their responsible assignments and the departments that collectives stand for.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import DateField, Exists, IntegerField, OuterRef, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.choices import DeadlineKind, LightCode, Status
from tasks.lights import compute_light
from tasks.models import Assignment, JournalEntry, Postponement, Requirement
from teams.models import ActionTeam, Collective, Department


class Category(models.TextChoices):
    """Bulletin categories, in the order the bulletin lists them; each requirement is in one."""

    COMPLETED = "completed", gettext_lazy("已完成")
    ON_TRACK = "on_track", gettext_lazy("按计划推进")
    DUE_SOON = "due_soon", gettext_lazy("临近时限或滞后")
    OVERDUE = "overdue", gettext_lazy("逾期")
    POSTPONED = "postponed", gettext_lazy("已批准延期")


@dataclass
class State:
    status: str
    progress: int
    reported_through: date | None
    postponed_to: date | None
    completed_on: date | None
    light: object = None
    last_report: object = None  # (date, note)

    @property
    def category(self):
        code = self.light.code
        if code == LightCode.COMPLETED:
            return Category.COMPLETED
        if code == LightCode.RED:
            return Category.OVERDUE
        if self.postponed_to is not None:
            return Category.POSTPONED
        if code == LightCode.YELLOW:
            return Category.DUE_SOON
        return Category.ON_TRACK


@dataclass
class RequirementRow:
    """One requirement of the current table, with what the bulletin reads of it and its history."""

    pk: int
    number: int
    text: str
    deadline_text: str
    deadline_kind: str
    due_date: date | None
    recurrence: str
    status: str
    progress: int
    reported_through: date | None
    postponed_to: date | None
    starts_on: date
    completed_on: date | None
    task_id: int
    pillar_number: int
    pillar_name: str
    instructed_by: str | None
    officials: list = field(default_factory=list)
    entries: list = field(default_factory=list)  # JournalEntry rows, oldest first
    postponements: list = field(default_factory=list)  # (decided at, new due), oldest first


ROW_FIELDS = {
    "pk": "pk",
    "number": "number",
    "text": "text",
    "deadline_text": "deadline_text",
    "deadline_kind": "deadline_kind",
    "due_date": "due_date",
    "recurrence": "recurrence",
    "status": "status",
    "progress": "progress",
    "reported_through": "reported_through",
    "postponed_to": "postponed_to",
    "starts_on": "breakdown__starts_on",
    "completed_on": "completed_on",
    "task_id": "task_id",
    "pillar_number": "task__pillar__number",
    "pillar_name": "task__pillar__name",
    "instructed_by": "instructed_by__name",
}

# A history row: a journal entry, or an approved postponement decision marked with this kind.
POSTPONED = "postponed"
EVENT_FIELDS = (
    "requirement_id",
    "at",
    "pk",
    "kind",
    "status_before",
    "status_after",
    "progress_before",
    "progress_after",
    "period_end",
    "note",
    "new_due",
)


def table_requirements():
    return Requirement.objects.active().in_current_breakdown().from_table()  # 交办事项 are not the table's


def _items(current):
    """The requirements in table order, each with its lead officials (one row per official: a join)."""
    items = {}
    fields = list(ROW_FIELDS.values())
    for row in current.order_by(
        "task__pillar__number", "task__number", "number", "lead_officials__sort_order", "lead_officials__name"
    ).values_list(*fields, "lead_officials__name"):
        item = items.get(row[0])
        if item is None:
            item = items[row[0]] = RequirementRow(**dict(zip(ROW_FIELDS, row, strict=False)))
        if row[-1] is not None:
            item.officials.append(row[-1])
    return items


def _events(current):
    """The journal entries and approved postponement decisions of the requirements, as one query."""
    none_date, none_int = Value(None, output_field=DateField()), Value(None, output_field=IntegerField())
    entries = JournalEntry.objects.filter(requirement__in=current).values_list(
        "requirement_id",
        "created_at",
        "pk",
        "kind",
        "status_before",
        "status_after",
        "progress_before",
        "progress_after",
        "period_end",
        "note",
        none_date,
    )
    decisions = (
        Postponement.objects.filter(requirement__in=current, state=Postponement.State.APPROVED)
        .exclude(decided_at=None)
        .values_list(
            "requirement_id",
            "decided_at",
            "pk",
            Value(POSTPONED),
            Value(""),
            Value(""),
            none_int,
            none_int,
            none_date,
            Value(""),
            "new_due",
        )
    )
    return entries.order_by().union(decisions.order_by(), all=True)


class History:
    """The requirements of the current table (or those of `requirements`, e.g. the 领导交办事项) with their
    journals, loaded once, queried at any date."""

    def __init__(self, requirements=None):
        self.current = table_requirements() if requirements is None else requirements
        items = _items(self.current)
        self.requirements = list(items.values())
        postponements = defaultdict(list)
        for row in sorted(_events(self.current), key=lambda row: (row[1], row[2])):
            event = dict(
                zip(EVENT_FIELDS, row, strict=False), on=timezone.localdate(row[1])
            )  # the day in the bureau's zone
            if event["requirement_id"] not in items:
                continue  # its requirement became current after the items were read (two queries): not in this view
            if event["kind"] == POSTPONED:
                postponements[event["requirement_id"]].append((event["on"], event["new_due"]))
            else:
                items[event["requirement_id"]].entries.append(event)
        for pk, decided in postponements.items():
            items[pk].postponements = decided
        self._load_departments()

    def _load_departments(self):
        """Who is responsible for each requirement: its departments, collectives expanded to their
        active members (Collective.departments() per assignment would cost a query each)."""
        self.departments = {
            d.pk: d
            for d in Department.objects.active().annotate(
                hosts_team=Exists(ActionTeam.objects.filter(is_active=True, host_department=OuterRef("pk")))
            )
        }
        members = {}  # (rule, department kind) → [department ids], in department order

        def expand(rule, kind):
            if (rule, kind) not in members:
                members[rule, kind] = [
                    pk
                    for pk, d in self.departments.items()
                    if (d.hosts_team if rule == Collective.Rule.TEAM_HOSTS else d.kind == kind)
                ]
            return members[rule, kind]

        self.responsible = defaultdict(list)  # requirement id → [department ids]
        self.responsible_names = defaultdict(list)  # requirement id → names as the table writes them
        for requirement_id, department_id, department, collective, rule, kind in (
            Assignment.objects.filter(requirement__in=self.current, role=Assignment.Role.RESPONSIBLE)
            .order_by("position")
            .values_list(
                "requirement_id",
                "department_id",
                "department__name",
                "collective__name",
                "collective__rule",
                "collective__department_kind",
            )
        ):
            self.responsible_names[requirement_id].append(department or collective)
            if department_id:
                pks = [department_id]
            else:
                pks = expand(rule, kind) if rule else []
            for pk in pks:
                if pk in self.departments and pk not in self.responsible[requirement_id]:
                    self.responsible[requirement_id].append(pk)

    def state(self, requirement, on):
        entries = requirement.entries
        changes = [e for e in entries if e["status_after"]]
        before = [e for e in changes if e["on"] <= on]
        if before:
            status, progress = before[-1]["status_after"], before[-1]["progress_after"] or 0
        elif changes:
            status, progress = changes[0]["status_before"] or Status.NOT_STARTED, changes[0]["progress_before"] or 0
        else:
            status, progress = requirement.status, requirement.progress
        completed_on = None
        if status == Status.COMPLETED:
            done = [e["on"] for e in before if e["status_after"] == Status.COMPLETED]
            completed_on = done[-1] if done else None
        reports = [e for e in entries if e["period_end"] is not None]
        if reports:
            ends = [e["period_end"] for e in reports if e["on"] <= on]
            reported_through = max(ends) if ends else None
        else:
            reported_through = requirement.reported_through
        if requirement.postponements:
            decided = [new_due for when, new_due in requirement.postponements if when <= on]
            postponed_to = decided[-1] if decided else None
        else:
            postponed_to = requirement.postponed_to
        filed = [e for e in entries if e["kind"] == JournalEntry.Kind.REPORT and e["on"] <= on]
        state = State(status, progress, reported_through, postponed_to, completed_on)
        state.last_report = (filed[-1]["on"], filed[-1]["note"]) if filed else None
        state.light = compute_light(
            status=status,
            progress=progress,
            deadline_kind=requirement.deadline_kind,
            due_date=requirement.due_date,
            postponed_to=postponed_to,
            recurrence=requirement.recurrence,
            reported_through=reported_through,
            starts_on=requirement.starts_on,
            on=on,
        )
        return state

    def states(self, on):
        return {r.pk: self.state(r, on) for r in self.requirements}


def progress_summary(history, states):
    """Counts per pillar and overall: tasks, tasks completed, requirements per category."""

    def empty():
        return {"tasks": 0, "tasks_completed": 0, "requirements": 0, **{c: 0 for c in Category.values}}

    pillars, tasks = {}, defaultdict(list)
    for requirement in history.requirements:
        number = requirement.pillar_number
        row = pillars.setdefault(number, {"number": number, "name": requirement.pillar_name, **empty()})
        category = states[requirement.pk].category
        row["requirements"] += 1
        row[category] += 1
        tasks[(number, requirement.task_id)].append(category)
    for (pillar_number, _task), categories in tasks.items():
        pillars[pillar_number]["tasks"] += 1
        pillars[pillar_number]["tasks_completed"] += all(c == Category.COMPLETED for c in categories)
    overall = empty()
    for row in pillars.values():
        for key in overall:
            overall[key] += row[key]
    for row in [*pillars.values(), overall]:
        row["completion_rate"] = _percent(row["completed"], row["requirements"])
    return [pillars[n] for n in sorted(pillars)], overall


def _percent(part, whole):
    if not whole:
        return None
    return f"{part * 100 / whole:.1f}"


def legacy_scorecard_formula():
    """The formula bulletins published before the scorecard was made of rules (ScoreRule) were ranked by."""
    return _(
        "综合得分 = 按期完成率 × %(on_time)d + 按时反馈率 × %(reports)d − 逾期项数 × %(penalty)d（最低为0）。"
        "按期完成率 = 截至月末应完成的限期事项中按期（含批准延期后的时限）完成的比例；"
        "按时反馈率 = 定期及长期事项中上一反馈期已按时反馈的比例；无应完成或应反馈事项的，该项按满分计；"
        "逾期项数 = 月末仍逾期未完成的限期事项数。按责任部门统计，集合称谓（如“各处室”）计入其包含的每个部门。"
        "只对本月有应完成或应反馈事项的部门排名，其余列为“本月无到期事项”；得分相同的并列同一名次，"
        "名单内按逾期项数少者在前、再按部门序列排列。"
    ) % {"on_time": 60, "reports": 40, "penalty": 5}


def at_risk(history, states, on):
    """Overdue (red) and at-risk (yellow) requirements as of the date, the most overdue first."""
    rows = []
    for requirement in history.requirements:
        state = states[requirement.pk]
        if state.light.code not in (LightCode.RED, LightCode.YELLOW):
            continue
        due = state.postponed_to or requirement.due_date if requirement.deadline_kind == DeadlineKind.DATE else None
        days_overdue = (on - due).days if due and on > due else None
        rows.append(
            {
                "number": requirement.number,
                "text": requirement.text,
                "light": state.light.code,
                "reason": state.light.reason,
                "departments": history.responsible_names.get(requirement.pk, []),
                "officials": requirement.officials,
                "deadline_text": requirement.deadline_text,
                "due": due.isoformat() if due else None,
                "postponed_from": requirement.due_date.isoformat()
                if state.postponed_to and requirement.due_date
                else None,
                "days_overdue": days_overdue,
                "last_report_on": state.last_report[0].isoformat() if state.last_report else None,
                "last_report": state.last_report[1] if state.last_report else "",
            }
        )
    rows.sort(key=lambda r: (r["light"] != LightCode.RED, -(r["days_overdue"] or 0), r["number"]))
    return rows
