"""Progress of the task table as it stood at a date, reconstructed from the journal.

The requirement rows hold only the current status. For a bulletin of an earlier month,
each requirement's status, progress, reports and postponement are rebuilt from its
JournalEntry history and its Postponement decisions: the last change on or before the
date wins; with none yet, the state before the first later change applies; a requirement
whose journal never changed its status keeps its current one. The rebuilding is done in the
database (correlated subqueries, as_of_annotations), and the light over those values is
tasks.lights' own expression with `on` set to that date, so a bulletin says what was true at
the end of its month and "change since last month" compares two such reconstructions.

Everything is read in a fixed number of queries, whatever the size of the table or its history:
the requirements with their lead officials and their states at both dates, their responsible
assignments and the departments that collectives stand for.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Case, Count, Exists, F, IntegerField, OrderBy, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.choices import DeadlineKind, LightCode, LightReason, Status
from tasks.lights import Columns, Light, light_reason_expression
from tasks.models import Assignment, JournalEntry, Postponement, Requirement, Source
from teams.models import ActionTeam, Collective, Department


class Category(models.TextChoices):
    """Bulletin categories, in the order the bulletin lists them; each requirement is in one."""

    COMPLETED = "completed", gettext_lazy("已完成")
    ON_TRACK = "on_track", gettext_lazy("按计划推进")
    DUE_SOON = "due_soon", gettext_lazy("临近时限或滞后")
    OVERDUE = "overdue", gettext_lazy("逾期")
    POSTPONED = "postponed", gettext_lazy("已批准延期")


def end_of(day):
    """The first instant after `day` in the bureau's zone (so `< end_of(day)` means on or before it)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


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
    """One requirement of the current table, with what the bulletin reads of it (fields in ROW_FIELDS order)."""

    pk: int
    number: int
    text: str
    deadline_text: str
    deadline_kind: str
    due_date: date | None
    recurrence: str
    starts_on: date
    completed_on: date | None
    task_id: int
    pillar_number: int
    pillar_name: str
    instructed_by: str | None
    source: str
    returns: int = 0  # completion applications returned for rework (退回整改) in the month
    officials: list = field(default_factory=list)


ROW_FIELDS = {
    "pk": "pk",
    "number": "number",
    "text": "text",
    "deadline_text": "deadline_text",
    "deadline_kind": "deadline_kind",
    "due_date": "due_date",
    "recurrence": "recurrence",
    "starts_on": "breakdown__starts_on",
    "completed_on": "completed_on",
    "task_id": "task_id",
    "pillar_number": "task__pillar__number",
    "pillar_name": "task__pillar__name",
    "instructed_by": "instructed_by__name",
    "source": "source",
}


# Stands for "rows exist, none by the date" in a date subquery (no real date is this), so one subquery per
# value tells that apart from "no rows at all" (the requirement keeps its field): see as_of_annotations.
NONE_BY_THEN = date(1, 1, 1)


def _by_then_first(at, end, *newest):
    """An ordering of history rows: those at or before the date first, newest (by `newest`) first; then the
    later ones, oldest first."""
    by_then = Q(**{f"{at}__lt": end})
    return [
        Case(When(by_then, then=Value(0)), default=Value(1)),
        *(OrderBy(Case(When(by_then, then=F(name))), descending=True, nulls_last=True) for name in newest),
        at,
        "pk",
    ]


def as_of_annotations(on, prefix):
    """Annotations holding each requirement's status, progress, reports and postponement as they stood at
    the end of `on` (the module docstring's rules), named `<prefix>_status` …, and the Columns naming them
    for tasks.lights.light_reason_expression.

    Each value is one correlated subquery, because the light reads some of them several times and each
    reading is a subquery of its own: the row that decides (the last change by then, else the first one
    after) is ordered first, and what it says is computed from whether it came by then."""
    end = end_of(on)
    by_then = Q(created_at__lt=end)
    journal = JournalEntry.objects.filter(requirement=OuterRef("pk")).order_by()
    changes = journal.exclude(status_after="").order_by(*_by_then_first("created_at", end, "created_at", "pk"))
    reports = journal.filter(period_end__isnull=False).order_by(*_by_then_first("created_at", end, "period_end"))
    decisions = (
        Postponement.objects.filter(
            requirement=OuterRef("pk"), state=Postponement.State.APPROVED, decided_at__isnull=False
        )
        .order_by()
        .order_by(*_by_then_first("decided_at", end, "decided_at", "pk"))
    )

    def decided(rows, when, value, field):
        """The deciding row's value, else (rows, none by then) None, else (no rows) the requirement's field."""
        return NullIf(
            Coalesce(
                Subquery(rows.values(v=Case(When(when, then=F(value)), default=Value(NONE_BY_THEN)))[:1]),
                F(field),
            ),
            Value(NONE_BY_THEN),
        )

    columns = Columns(*(f"{prefix}_{name}" for name in Columns._fields))
    return {
        columns.status: Coalesce(
            Subquery(
                changes.values(
                    v=Case(
                        When(by_then, then=F("status_after")),
                        default=Coalesce(NullIf("status_before", Value("")), Value(Status.NOT_STARTED)),
                    )
                )[:1]
            ),
            F("status"),
        ),
        columns.progress: Coalesce(
            Subquery(
                changes.values(
                    v=Case(
                        When(by_then, then=Coalesce("progress_after", Value(0))),
                        default=Coalesce("progress_before", Value(0)),
                    )
                )[:1]
            ),
            F("progress"),
        ),
        # A requirement with reports (or decisions) in its journal is judged by them; one without keeps its field.
        columns.reported_through: decided(reports, by_then, "period_end", "reported_through"),
        columns.postponed_to: decided(decisions, Q(decided_at__lt=end), "new_due", "postponed_to"),
    }, columns


def _month_details(on, first):
    """What the bulletin's lists and scorecard read as of `on`, besides the state: when the requirement was
    completed (the last change to 已完成 by then), its last report, its 退回整改 during first..on."""
    end = end_of(on)
    journal = JournalEntry.objects.filter(requirement=OuterRef("pk"), created_at__lt=end).order_by()
    filed = journal.filter(kind=JournalEntry.Kind.REPORT).order_by("-created_at", "-pk")
    returns = (
        journal.filter(kind=JournalEntry.Kind.COMPLETION_RETURN, created_at__gte=end_of(first - timedelta(days=1)))
        .values("requirement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "completed_at": Subquery(
            journal.filter(status_after=Status.COMPLETED).order_by("-created_at", "-pk").values("created_at")[:1]
        ),
        "reported_at": Subquery(filed.values("created_at")[:1]),
        "report_note": Subquery(filed.values("note")[:1]),
        "returns": Coalesce(Subquery(returns, output_field=IntegerField()), Value(0)),
    }


def _local_date(moment):
    return timezone.localdate(moment) if moment is not None else None


class History:
    """The current table's requirements and the 领导交办事项 assigned by `on`, with their states as they stood at
    the end of `on` and (for the table) of `before`, read in one query; `states(on)` and `states(before)`.

    `first` is the first day of the month the scorecard counts events in (the 1st of `on`'s month unless given).
    """

    def __init__(self, *, on, before=None, first=None):
        self.on, self.before = on, before
        first = first or on.replace(day=1)
        current = Requirement.objects.active().in_current_breakdown()
        # The table reports from its 起始日期 on (a month that ended before it has none of its items); a
        # 交办事项 from the day it was registered.
        self.current = current.filter(
            Q(source=Source.TABLE, breakdown__starts_on__lte=on)
            | Q(source=Source.INSTRUCTION, created_at__lt=end_of(on))
        )
        at_on, on_columns = as_of_annotations(on, "on")
        queryset = self.current.annotate(**at_on, **_month_details(on, first)).annotate(
            on_reason=light_reason_expression(on, on_columns)
        )
        selected = [*ROW_FIELDS.values(), *on_columns, "on_reason", "completed_at", "reported_at", "report_note"]
        selected += ["returns"]
        if before is not None:
            at_before, before_columns = as_of_annotations(before, "before")
            queryset = queryset.annotate(**at_before).annotate(
                before_reason=light_reason_expression(before, before_columns)
            )
            selected += [before_columns.postponed_to, "before_reason"]
        items = {}
        self._states = {on: {}, before: {}}
        # One row per lead official (a join), in table order.
        rows = queryset.order_by(
            "task__pillar__number", "task__number", "number", "lead_officials__sort_order", "lead_officials__name"
        ).values_list(*selected, "lead_officials__name")
        width = len(ROW_FIELDS)
        lights = {reason.value: Light.of(reason) for reason in LightReason}
        for row in rows:
            item = items.get(row[0])
            if item is None:
                item = items[row[0]] = RequirementRow(*row[:width])
                status, progress, reported, postponed, reason, completed_at, reported_at, note, returns = row[
                    width : width + 9
                ]
                item.returns = returns
                state = State(
                    status,
                    progress,
                    reported,
                    postponed,
                    _local_date(completed_at) if status == Status.COMPLETED else None,
                    lights[reason],
                    (_local_date(reported_at), note) if reported_at else None,
                )
                self._states[on][item.pk] = state
                if before is not None:
                    postponed, reason = row[width + 9 : width + 11]
                    self._states[before][item.pk] = State("", 0, None, postponed, None, lights[reason])
            if row[-1] is not None:
                item.officials.append(row[-1])
        self.requirements = [r for r in items.values() if r.source == Source.TABLE]
        self.instructed = [r for r in items.values() if r.source == Source.INSTRUCTION]
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

    def states(self, on):
        """{requirement id: State} at `on`, one of the two dates the history was read at (at `before`, only
        the light and the postponement are read: what the summary's categories need)."""
        return self._states[on]


def progress_summary(history, states):
    """Counts per pillar and overall: tasks, tasks completed, requirements per category."""

    def empty():
        return {"tasks": 0, "tasks_completed": 0, "requirements": 0, **{c: 0 for c in Category.values}}

    pillars, tasks = {}, defaultdict(list)
    for requirement in history.requirements:
        number = requirement.pillar_number
        row = pillars.get(number)
        if row is None:
            row = pillars[number] = {"number": number, "name": requirement.pillar_name, **empty()}
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
