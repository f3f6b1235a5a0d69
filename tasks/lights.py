"""The traffic light (亮灯) of a requirement, defined once.

Rules (documented in the README, "Traffic lights"):

* status 已完成 → COMPLETED.
* A dated requirement: past its effective deadline (an approved postponement
  replaces the original) → RED; due within TIEJU_DUE_SOON_DAYS, or its
  progress more than TIEJU_BEHIND_SCHEDULE_POINTS behind the share of time
  elapsed since the table took effect (序时进度) → YELLOW; otherwise GREEN.
* A recurring requirement (每周…每年), and an ongoing one (长期坚持, reported
  quarterly), is judged only on reports already owed: a period's report is owed
  from the day after the period closes. The last closed period's report missing
  once TIEJU_REPORT_GRACE_DAYS have passed → RED (反馈逾期); missing within the
  grace window (the first TIEJU_REPORT_GRACE_DAYS days after the close) → YELLOW
  (宽限期内待反馈); otherwise GREEN. The current period's report is not due before
  the period closes, so a period ending soon (or today) never makes an item at risk.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Case, CharField, DateField, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, IsNull, LessThan, LessThanOrEqual

from tasks.choices import DeadlineKind, LightCode, LightReason, Recurrence, Status
from tasks.periods import period_containing


@dataclass(frozen=True)
class Light:
    code: LightCode
    reason: LightReason | str = ""

    @classmethod
    def of(cls, reason):
        """The light a reason gives, as a list annotates it (Requirement.objects.with_lights)."""
        reason = LightReason(reason)
        return cls(reason.light, reason)

    @property
    def label(self):
        return LightCode(self.code).label

    @property
    def reason_label(self):
        return LightReason(self.reason).label if self.reason else ""

    def __str__(self):
        return str(self.label)


def compute_light(
    *, status, progress, deadline_kind, due_date, postponed_to, recurrence, reported_through, starts_on, on
):
    """Pure function of the fields it reads, so lists can compute it without extra queries."""
    if status == Status.COMPLETED:
        return Light.of(LightReason.DONE)
    due_soon = timedelta(days=settings.TIEJU_DUE_SOON_DAYS)
    if deadline_kind == DeadlineKind.DATE:
        due = postponed_to or due_date
        if due is None:
            return Light.of(LightReason.ON_TRACK)
        if on > due:
            return Light.of(LightReason.OVERDUE)
        if due - on <= due_soon:
            return Light.of(LightReason.DUE_SOON)
        if is_behind_schedule(
            progress=progress,
            deadline_kind=deadline_kind,
            due_date=due_date,
            postponed_to=postponed_to,
            starts_on=starts_on,
            on=on,
        ):
            return Light.of(LightReason.BEHIND)
        return Light.of(LightReason.ON_TRACK)

    every = report_cycle(deadline_kind, recurrence)
    current = period_containing(every, on)
    previous = current.previous()
    grace = timedelta(days=settings.TIEJU_REPORT_GRACE_DAYS)
    previous_required = starts_on is None or previous.end >= starts_on
    if previous_required and (reported_through is None or reported_through < previous.end):
        if on > previous.end + grace:
            return Light.of(LightReason.REPORT_OVERDUE)
        return Light.of(LightReason.REPORT_DUE)
    if reported_through is not None and reported_through >= current.end:
        return Light.of(LightReason.REPORTED)
    return Light.of(LightReason.ON_TRACK)


def report_cycle(deadline_kind, recurrence):
    """The period a recurring or ongoing requirement reports per: its own recurrence, quarterly when ongoing."""
    return recurrence if deadline_kind == DeadlineKind.RECURRING else Recurrence.QUARTERLY


def next_due(*, deadline_kind, due_date, postponed_to, recurrence, reported_through, starts_on, on):
    """The date the written deadline means next, by the same period rules as the light: the effective
    deadline of a dated requirement; for a recurring or ongoing one, the end of the earliest period
    whose report is still owed (a missed closed period first, else the current one, else the next)."""
    if deadline_kind == DeadlineKind.DATE:
        return postponed_to or due_date
    every = report_cycle(deadline_kind, recurrence)
    current = period_containing(every, on)
    previous = current.previous()
    previous_required = starts_on is None or previous.end >= starts_on
    if previous_required and (reported_through is None or reported_through < previous.end):
        return previous.end
    if reported_through is not None and reported_through >= current.end:
        return current.next().end
    return current.end


# The same rules as SQL expressions over a requirement's fields, for lists: the dashboard filters, counts
# and sorts thousands of rows by light and next due date in the database. On a given day every period
# boundary is a constant, so the periodic rules become comparisons with dates worked out here.
# tests/tasks/test_lights.py runs every case through both compute_light and these.

EPOCH = date(1970, 1, 1)


class DayNumber(Func):
    """Days since 1970-01-01 of a date column, as an integer, on PostgreSQL and SQLite alike."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra
        )


class Columns(NamedTuple):
    """The names the expressions below read a requirement's changing state from: its own fields, or
    annotations of the same meaning (metrics.progress reads them as they stood at a month's end)."""

    status: str = "status"
    progress: str = "progress"
    reported_through: str = "reported_through"
    postponed_to: str = "postponed_to"


FIELDS = Columns()


class _Periods:
    """For periodic rows (each recurrence; 长期坚持 reports quarterly) on `on`: a Case giving each row the value
    `value(previous, current)` of its kind, previous and current being its last closed period and the one
    containing `on` (constants on a given day); NULL for a row of no periodic kind."""

    def __init__(self, on):
        self.kinds = []
        for every in Recurrence:
            rows = Q(recurrence=every)
            if every == Recurrence.QUARTERLY:
                rows |= Q(deadline_kind=DeadlineKind.ONGOING)
            current = period_containing(every, on)
            self.kinds.append((rows, current.previous(), current))

    def each(self, value, output_field):
        whens = [When(rows, then=Value(value(previous, current))) for rows, previous, current in self.kinds]
        return Case(*whens, default=None, output_field=output_field)

    def owed(self, columns):
        """Rows whose last closed period's report is still owed (the table had started by its end). Each of the
        row's columns is read once, compared with its kind's period end: with `columns` naming subqueries
        (metrics.progress), each reference is a subquery of its own."""
        previous_end = self.each(lambda previous, current: previous.end, DateField())
        reported = F(columns.reported_through)
        return Q(
            IsNull(previous_end, False),
            Q(breakdown__starts_on__isnull=True) | Q(LessThanOrEqual(F("breakdown__starts_on"), previous_end)),
            Q(**{f"{columns.reported_through}__isnull": True}) | Q(LessThan(reported, previous_end)),
        )

    def reported_for_current(self, columns):
        """Rows whose current period's report is in already."""
        current_end = self.each(lambda previous, current: current.end, DateField())
        return Q(GreaterThanOrEqual(F(columns.reported_through), current_end))


def behind_schedule_q(on, columns=FIELDS):
    """Rows of dated requirements behind schedule (序时进度) on `on`, whatever else their light says:
    progress < (on − start) × 100 / (due − start) − points, in whole numbers of days. The light's
    "behind" reason is this when the row is neither overdue nor due soon; a 黄单 reads it on its own."""
    due = Coalesce(F(columns.postponed_to), F("due_date"))
    starts = F("breakdown__starts_on")
    return Q(
        LessThan(
            (F(columns.progress) + settings.TIEJU_BEHIND_SCHEDULE_POINTS) * (DayNumber(due) - DayNumber(starts)),
            Value(((on - EPOCH).days) * 100) - DayNumber(starts) * 100,
        ),
        LessThan(starts, due),
        breakdown__starts_on__lt=on,
        deadline_kind=DeadlineKind.DATE,
    )


def is_behind_schedule(*, progress, deadline_kind, due_date, postponed_to, starts_on, on):
    """behind_schedule_q for one requirement, in Python (tests/tasks/test_lights.py checks they agree)."""
    due = postponed_to or due_date
    if deadline_kind != DeadlineKind.DATE or due is None or not starts_on or not (starts_on < due and on > starts_on):
        return False
    expected = (on - starts_on).days * 100 / (due - starts_on).days
    return (progress or 0) < expected - settings.TIEJU_BEHIND_SCHEDULE_POINTS


def light_reason_expression(on, columns=FIELDS):
    """The reason of compute_light(…, on=on) for each row; its `light` gives the light. `columns` names
    where the row's status, progress, reports and postponement are read from (its fields by default)."""
    due_soon = timedelta(days=settings.TIEJU_DUE_SOON_DAYS)
    grace = timedelta(days=settings.TIEJU_REPORT_GRACE_DAYS)
    due = Coalesce(F(columns.postponed_to), F("due_date"))
    behind = behind_schedule_q(on, columns)
    dated = Case(
        When(Q(**{f"{columns.postponed_to}__isnull": True}, due_date__isnull=True), then=Value(LightReason.ON_TRACK)),
        When(LessThan(due, Value(on, output_field=DateField())), then=Value(LightReason.OVERDUE)),
        When(LessThanOrEqual(due, Value(on + due_soon, output_field=DateField())), then=Value(LightReason.DUE_SOON)),
        When(behind, then=Value(LightReason.BEHIND)),
        default=Value(LightReason.ON_TRACK),
    )
    periods = _Periods(on)
    late = periods.each(
        lambda previous, current: LightReason.REPORT_OVERDUE if on > previous.end + grace else LightReason.REPORT_DUE,
        CharField(),
    )
    return Case(
        When(Q(**{columns.status: Status.COMPLETED}), then=Value(LightReason.DONE)),
        When(deadline_kind=DeadlineKind.DATE, then=dated),
        When(periods.owed(columns), then=late),
        When(periods.reported_for_current(columns), then=Value(LightReason.REPORTED)),
        default=Value(LightReason.ON_TRACK),
        output_field=CharField(),
    )


def light_rank_expression(reason):
    """0 for red … 3 for completed, for sorting by light."""
    return Case(
        *[When(Q(**{f"{reason}__in": LightReason.of(code)}), then=Value(rank)) for rank, code in enumerate(LightCode)],
        output_field=IntegerField(),
    )


def next_due_expression(on):
    """next_due(…, on=on) for each row."""
    periods = _Periods(on)
    return Case(
        When(deadline_kind=DeadlineKind.DATE, then=Coalesce(F("postponed_to"), F("due_date"))),
        When(periods.owed(FIELDS), then=periods.each(lambda previous, current: previous.end, DateField())),
        When(
            periods.reported_for_current(FIELDS),
            then=periods.each(lambda previous, current: current.next().end, DateField()),
        ),
        default=periods.each(lambda previous, current: current.end, DateField()),
        output_field=DateField(),
    )
