"""The department scorecard (部门推进情况排名), computed from events by the rules in ScoreRule.

Each responsible department starts from the base (基础分) and, for the bulletin's month, gets the points of
every rule for each of its events:

* overdue (逾期事项): a dated requirement still overdue (红灯·已逾期) at the month's end, or completed during
  the month after its (postponed) deadline (so a late completion is counted once even when no month's end
  found it overdue);
* late_report (反馈逾期事项): a periodic or ongoing requirement whose report is past the grace window
  (红灯·反馈逾期) at the month's end;
* rework (退回整改): a completion application returned for rework during the month;
* red_notice (红色督办单): a red supervision notice issued during the month;
* on_time (按期完成事项): a dated requirement completed during the month on or before its (postponed)
  deadline, the completion date being the application's; its points never lift a score above the base.

A collective (“各处室”) counts for each department it stands for. The score never falls below 0. Only
departments with something due in the month are ranked: a dated requirement due by the month's end and not
completed before the month began, a period report whose grace window ends in the month, or any event above;
the others are listed as 本月无到期事项. Equal scores share a rank (并列); within it the department with fewer
overdue items comes first, then the departments' order.

The rules used are part of the bulletin's facts, so a published bulletin shows the score and the rules
it was made with, whatever the rules are now.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from metrics.models import ScoreEvent, ScoreRule
from tasks.choices import DeadlineKind, LightCode, LightReason, Status
from tasks.lights import report_cycle
from tasks.periods import period_containing

# The rules a fresh database is seeded with (metrics/migrations/0006_seed_score_rules.py), used as they are
# when the table holds none.
DEFAULT_RULES = [
    (ScoreEvent.BASE, Decimal("100")),
    (ScoreEvent.OVERDUE, Decimal("-5")),
    (ScoreEvent.LATE_REPORT, Decimal("-2")),
    (ScoreEvent.REWORK, Decimal("-2")),
    (ScoreEvent.RED_NOTICE, Decimal("-3")),
    (ScoreEvent.ON_TIME, Decimal("1")),
]
# The order events are listed in a department's detail.
EVENTS = [ScoreEvent.OVERDUE, ScoreEvent.LATE_REPORT, ScoreEvent.REWORK, ScoreEvent.RED_NOTICE, ScoreEvent.ON_TIME]


def current_rules():
    """The active rules as facts: [{"event", "points"}], the base first, in the admin's order."""
    rows = list(ScoreRule.objects.values_list("event", "points", "is_active"))
    if not rows:
        rows = [(event, points, True) for event, points in DEFAULT_RULES]
    rules = [
        {"event": str(event), "points": f"{Decimal(points).normalize():f}"} for event, points, active in rows if active
    ]
    rules.sort(key=lambda r: r["event"] != ScoreEvent.BASE)
    return rules


def _points(rules):
    points = {r["event"]: Decimal(r["points"]) for r in rules}
    return points.get(ScoreEvent.BASE, Decimal(0)), {e: points[e] for e in EVENTS if e in points}


def _report_falls_due(requirement, first, last):
    """Whether a period report of a periodic or ongoing requirement falls due (its period's end plus the
    grace window) between first and last, for a period the table owes."""
    every = report_cycle(requirement.deadline_kind, requirement.recurrence)
    grace = timedelta(days=settings.TIEJU_REPORT_GRACE_DAYS)
    period = period_containing(every, last - grace)
    if period.end > last - grace:
        period = period.previous()
    return period.end + grace >= first and (requirement.starts_on is None or period.end >= requirement.starts_on)


def month_events(history, states, first, last, red_notices):
    """{department id: {event: [requirement numbers]}} and {department id: whether something fell due},
    for the month first..last. `red_notices` is [(requirement id, issued on)] of red notices."""
    events = defaultdict(lambda: defaultdict(list))
    due = defaultdict(bool)
    notices = defaultdict(int)
    report_falls_due = {}  # by (kind, recurrence, table start): the same for every requirement alike
    for requirement_id, issued_on in red_notices:
        if first <= issued_on <= last:
            notices[requirement_id] += 1
    for requirement in history.requirements:
        state = states[requirement.pk]
        found = []
        if state.light.code == LightCode.RED:
            found.append(ScoreEvent.OVERDUE if state.light.reason == LightReason.OVERDUE else ScoreEvent.LATE_REPORT)
        found += [ScoreEvent.REWORK] * requirement.returns  # History counts them for the month first..last
        found += [ScoreEvent.RED_NOTICE] * notices[requirement.pk]
        if requirement.deadline_kind == DeadlineKind.DATE:
            deadline = state.postponed_to or requirement.due_date
            completed_before = state.status == Status.COMPLETED and (
                state.completed_on is None or state.completed_on < first
            )
            falls_due = deadline is not None and deadline <= last and not completed_before
            if state.status == Status.COMPLETED and state.completed_on and first <= state.completed_on <= last:
                done_on = requirement.completed_on or state.completed_on
                found.append(ScoreEvent.ON_TIME if deadline is None or done_on <= deadline else ScoreEvent.OVERDUE)
                falls_due = True
        else:
            key = (requirement.deadline_kind, requirement.recurrence, requirement.starts_on)
            if key not in report_falls_due:
                report_falls_due[key] = _report_falls_due(requirement, first, last)
            falls_due = report_falls_due[key]
        for pk in history.responsible.get(requirement.pk, []):
            due[pk] = due[pk] or falls_due or bool(found)
            for event in found:
                events[pk][event].append(requirement.number)
    return events, due


def scorecard(history, states, *, first, last, rules, red_notices):
    """Departments with their score, the events that made it and their rank (module docstring)."""
    base, points = _points(rules)
    events, due = month_events(history, states, first, last, red_notices)
    counts = defaultdict(int)
    for requirement in history.requirements:
        for pk in history.responsible.get(requirement.pk, []):
            counts[pk] += 1
    rows = []
    for pk, responsible in counts.items():
        department = history.departments[pk]
        detail, penalty, bonus = [], Decimal(0), Decimal(0)
        for event in EVENTS:
            numbers = events[pk].get(event, [])
            if not numbers or event not in points:
                continue
            value = points[event] * len(numbers)
            if event == ScoreEvent.ON_TIME:
                bonus += value
            else:
                penalty += value
            detail.append(
                {
                    "event": str(event),
                    "count": len(numbers),
                    "points": f"{value.normalize():f}",
                    "items": sorted(set(numbers)),
                }
            )
        score = max(min(base + penalty + bonus, base), Decimal(0))
        rows.append(
            {
                "department": department.name,
                "sort": (department.sort_order, department.name),
                "responsible": responsible,
                "overdue": len(events[pk].get(ScoreEvent.OVERDUE, [])),
                "events": detail,
                "score": f"{score:.1f}",
                "nothing_due": not due[pk],
            }
        )
    rows.sort(key=lambda r: (r["nothing_due"], -Decimal(r["score"]), r["overdue"], r["sort"]))
    ranked = [r for r in rows if not r["nothing_due"]]
    for position, row in enumerate(ranked, start=1):
        same = position > 1 and row["score"] == ranked[position - 2]["score"]
        row["rank"] = ranked[position - 2]["rank"] if same else position
    for row in rows:
        row.setdefault("rank", None)
        row["tied"] = row["rank"] is not None and sum(1 for r in ranked if r["rank"] == row["rank"]) > 1
        del row["sort"]
    return rows


# --- the text, in the reader's language, from the rules a bulletin holds --------------------------------


def event_label(event):
    return str(ScoreEvent(event).label) if event in ScoreEvent.values else event


def points_text(value):
    """−5 / +1 / 100: the sign written out, no trailing .0."""
    number = Decimal(value).normalize()
    text = f"{abs(number):f}"
    if number < 0:
        return f"−{text}"
    return f"+{text}"


def rules_text(rules):
    """The rules as the bulletin prints them: 基础分100分；逾期事项每项−5分；…"""
    parts = []
    for rule in rules:
        if rule["event"] == ScoreEvent.BASE:
            parts.append(_("基础分%(points)s分") % {"points": f"{Decimal(rule['points']).normalize():f}"})
        elif rule["event"] == ScoreEvent.ON_TIME:
            parts.append(
                _("%(event)s每项%(points)s分（加至基础分为止）")
                % {"event": event_label(rule["event"]), "points": points_text(rule["points"])}
            )
        elif rule["event"] in (ScoreEvent.REWORK, ScoreEvent.RED_NOTICE):
            parts.append(
                _("%(event)s每次%(points)s分")
                % {"event": event_label(rule["event"]), "points": points_text(rule["points"])}
            )
        else:
            parts.append(
                _("%(event)s每项%(points)s分")
                % {"event": event_label(rule["event"]), "points": points_text(rule["points"])}
            )
    return _("；").join(parts) + _("。")


def formula_text(rules):
    """The rules, what each event is, and how ranks and ties are decided."""
    return rules_text(rules) + _(
        "逾期事项指月末仍逾期未完成或本月逾期后才完成的限期事项，反馈逾期事项按月末状态计；退回整改、红色督办单、"
        "按期完成按本月发生计（按期、逾期以申请办结日期与完成时限比较）；最低为0分。按责任部门统计，集合称谓（如“各处室”）计入其包含的每个部门。"
        "只对本月有到期事项（月末前到期且月初未完成的限期事项、反馈期限在本月的定期事项，或本月有计分事项）的部门排名，"
        "其余列为“本月无到期事项”；得分相同的并列同一名次，名单内按逾期项数少者在前、再按部门序列排列。"
    )


def detail_text(event_row):
    """逾期事项2项（第12、15项）−10; 退回整改2次（第12项）−4"""
    values = {
        "event": event_label(event_row["event"]),
        "count": event_row["count"],
        "items": _("、").join(str(n) for n in event_row["items"]),
        "points": points_text(event_row["points"]),
    }
    if event_row["event"] in (ScoreEvent.REWORK, ScoreEvent.RED_NOTICE):
        return _("%(event)s%(count)d次（第%(items)s项）%(points)s") % values
    return _("%(event)s%(count)d项（第%(items)s项）%(points)s") % values
