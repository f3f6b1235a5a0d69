"""The bulletin (每月一通报) as data: every figure and list for a month, without any sentence.

build_bulletin() returns plain JSON-ready facts (numbers, codes, the names the database holds).
A published bulletin stores exactly these facts and is never recomputed; metrics.present adds
the labels and sentences in the reader's language each time it is shown, so the page, the xlsx,
the .docx/PDF and the `bulletin` command render a published version identically, in Chinese
or English, and the draft-vs-published table compares figures, not labels.
"""

import calendar
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Min, Q
from django.utils import timezone

from metrics import ownership, scoring, supervision
from metrics.aggregate import Point, compare, round_half_up
from metrics.models import Area, Indicator, Month, MonthlyValue, MonthState
from metrics.progress import Category, History, at_risk, progress_summary
from metrics.rankings import rankings
from metrics.targets import target_facts, target_status

# 1: snapshots that stored rendered Chinese text (shown as stored); 2: a scorecard of fixed weights (shown with
# that formula); 3: a scorecard made of the rules it holds, the loop's lists and the 领导交办事项; 4: each
# indicator row keeps the stored values it combines (its source) and the target's allowance in units, and the
# district rankings.
SCHEMA = 4


def month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def previous_month(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def fmt(value, decimals):
    """A Decimal as printed: fixed decimals, no exponent; None stays None (missing)."""
    if value is None:
        return None
    return f"{round_half_up(value, decimals):f}"


def _detail(indicator, figure):
    """The counts behind a figure: 179/181 for a ratio, the valid days behind a mean."""
    if figure.is_missing:
        return ""
    if indicator.combination == "ratio":
        return f"{fmt(figure.numerator, 0)}/{fmt(figure.denominator, 0)}"
    return ""


# What the bulletin reads of an indicator and an area, joined to each value.
INDICATOR_FIELDS = (
    "id",
    "code",
    "name",
    "unit",
    "decimals",
    "direction",
    "combination",
    "every_months",
    "target",
    "target_year",
    "denominator_unit",
    "is_headline",
    "sort_order",
)
AREA_FIELDS = ("id", "name", "is_city", "sort_order")


def _values_with_every_pair(first, last):
    """The values of months first..last, and one value of every (indicator, area) ever reported, each with
    its indicator and area: one query however long the history, returning what the bulletin needs and
    the areas that get a row even when they have no data in these months."""
    first_of_each_pair = (
        MonthlyValue.objects.order_by().values("indicator_id", "area_id").annotate(first=Min("pk")).values("first")
    )
    return (
        MonthlyValue.objects.filter(indicator__is_active=True)
        .filter(Q(month__gte=first, month__lte=last) | Q(pk__in=first_of_each_pair))
        .order_by()
        .values(
            "month",
            "value",
            "numerator",
            "denominator",
            *(f"indicator__{f}" for f in INDICATOR_FIELDS),
            *(f"area__{f}" for f in AREA_FIELDS),
        )
    )


def indicator_rows(year, month):
    first, last = date(year - 1, 1, 1), date(year, 12, 1)
    indicators, areas = {}, {}
    present = defaultdict(set)  # indicator id → ids of the areas it has ever been reported for
    series = defaultdict(dict)  # (indicator id, area id, year) → {month: Point}
    for row in _values_with_every_pair(first, last):
        indicator_id, area_id = row["indicator__id"], row["area__id"]
        if indicator_id not in indicators:
            indicators[indicator_id] = Indicator(**{f: row[f"indicator__{f}"] for f in INDICATOR_FIELDS})
        if area_id not in areas:
            areas[area_id] = Area(**{f: row[f"area__{f}"] for f in AREA_FIELDS})
        present[indicator_id].add(area_id)
        if first <= row["month"] <= last:
            series[indicator_id, area_id, row["month"].year][row["month"].month] = Point(
                row["value"], row["numerator"], row["denominator"]
            )
    rows = []
    # Every area an indicator has ever been reported for gets a row, so a month without data shows as missing.
    for indicator in sorted(indicators.values(), key=lambda i: (i.sort_order, i.pk)):
        for area in sorted(
            (areas[pk] for pk in present[indicator.pk]), key=lambda a: (not a.is_city, a.sort_order, a.pk)
        ):
            rows.append(
                indicator_row(
                    indicator,
                    area,
                    series.get((indicator.pk, area.pk, year), {}),
                    series.get((indicator.pk, area.pk, year - 1), {}),
                    year=year,
                    month=month,
                )
            )
    return rows


def indicator_row(indicator, area, this_year, last_year, *, year, month):
    """The bulletin's facts for one indicator in one area for the month (1—month this year against the same
    months last year, the target, the values combined), from the two years' series {month: Point}."""
    comparison = compare(
        indicator.combination,
        this_year,
        last_year,
        year=year,
        month=month,
        every=indicator.every_months,
        direction=indicator.direction,
        decimals=indicator.decimals,
    )
    target = target_status(
        indicator.combination,
        comparison.actual,
        target=indicator.target,
        target_year=indicator.target_year,
        year=year,
        direction=indicator.direction,
        decimals=indicator.decimals,
        month=month,
    )
    points = {"this": {m: p for m, p in this_year.items() if m <= month}, "last": last_year}
    return _indicator_row(indicator, area, comparison, target, month, points)


def _stored(number):
    return None if number is None else f"{number.normalize():f}"


def _points(series):
    """A year's stored values as a snapshot keeps them: [[month, value, numerator, denominator], …]."""
    return [[m, _stored(p.value), _stored(p.numerator), _stored(p.denominator)] for m, p in sorted(series.items())]


def _indicator_row(indicator, area, c, target, month, points):
    d = indicator.decimals
    change = c.change
    return {
        "code": indicator.code,
        "name": indicator.name,
        "area": area.name,
        "is_city": area.is_city,
        "unit": indicator.display_unit,
        "kind": indicator.combination,
        "direction": indicator.direction,
        "decimals": d,
        "headline": indicator.is_headline,
        "month": fmt(c.month.value, d),
        "month_detail": _detail(indicator, c.month),
        "ytd": fmt(c.ytd.value, d),
        "ytd_detail": _detail(indicator, c.ytd),
        "ytd_as_of": c.ytd.as_of if c.ytd.as_of not in (None, month) else None,
        "last_ytd": fmt(c.last_ytd.value, d),
        "last_ytd_detail": _detail(indicator, c.last_ytd),
        "last_as_of": c.last_ytd.as_of,
        # Like for like: the months both sides combine, the months this year lacks (left out of last year's
        # side too) and the months this year has that last year lacks (left out of this year's side).
        "compared": list(c.ytd.months) if indicator.combination not in ("stock", "entered") else [],
        "missing": list(c.ytd.missing),
        "excluded": list(c.excluded),
        "change": {
            "absolute": fmt(change.absolute, d),
            "relative": fmt(change.relative, 1),
            "in_points": change.in_points,
            "improved": change.improved,
        },
        "denominator_unit": indicator.denominator_unit,
        "target": target_facts(target, d),
        # The months each figure combines (this year's for month and ytd, last year's for last_ytd) and the
        # values stored for them: a figure's source, frozen with a published bulletin.
        "sources": {"month": list(c.month.months), "ytd": list(c.ytd.months), "last_ytd": list(c.last_ytd.months)},
        "points": {"this": _points(points["this"]), "last": _points(points["last"])},
        "this_year": [fmt(c.series[m].value, d) for m in range(1, 13)],
        "last_year": [fmt(c.last_series[m].value, d) for m in range(1, 13)],
    }


def _progress(history, year, month):
    end = month_end(year, month)
    previous_end = month_end(*previous_month(year, month))
    states = history.states(end)
    before = history.states(previous_end)  # the light and postponement of the month before: enough for categories
    pillars, overall = progress_summary(history, states)
    previous_pillars, previous_overall = progress_summary(history, before)
    previous_by_number = {p["number"]: p for p in previous_pillars}
    for row, prior in [(overall, previous_overall)] + [(p, previous_by_number.get(p["number"])) for p in pillars]:
        row["change"] = {c: row[c] - (prior or {}).get(c, 0) for c in [*Category.values, "tasks_completed"]}
        row["cells"] = [{"code": c, "count": row[c], "change": row["change"][c]} for c in Category.values]
    return {
        "as_of": end.isoformat(),
        "previous_as_of": previous_end.isoformat(),
        "categories": Category.values,
        "pillars": pillars,
        "overall": overall,
    }, states


def build_bulletin(year, month, *, today=None):
    """Every figure and list of the bulletin for the month, as JSON-ready facts (see metrics.present for text)."""
    today = today or timezone.localdate()
    end = month_end(year, month)
    history = History(on=end, before=month_end(*previous_month(year, month)))
    progress, states = _progress(history, year, month)
    state = Month.objects.filter(month=date(year, month, 1)).values_list("state", flat=True).first()
    first = date(year, month, 1)
    notices = supervision.red_notices(end)
    unanswered = supervision.unanswered_red_notices(notices, end)
    risks = at_risk(history, states, end)
    unanswered_by_item = defaultdict(list)
    for n in unanswered:
        if n["source"] == "table":
            unanswered_by_item[n["requirement"]].append(n["number"])
    for row in risks:
        row["red_notices"] = unanswered_by_item.get(row["number"], [])
    rules = scoring.current_rules()
    rows = indicator_rows(year, month)
    return {
        "schema": SCHEMA,
        "month": f"{year:04d}-{month:02d}",
        "year": year,
        "month_number": month,
        "last_day": end.day,
        "generated_on": today.isoformat(),
        "data_state": state or MonthState.DRAFT,
        "progress": progress,
        "scorecard": {
            "rules": rules,
            "rows": scoring.scorecard(
                history,
                states,
                first=first,
                last=end,
                rules=rules,
                red_notices=supervision.red_notices_issued(notices, first, end),
            ),
        },
        "at_risk": risks,
        "red_notices": unanswered,
        "signing": supervision.signing(end),
        "instructions": supervision.instructed_items(history, end),
        "indicators": rows,
        "rankings": rankings(rows),
        "reporting": ownership.completeness(first)["total"],
    }


def has_any_data(data):
    """Whether the month's year to date holds any figure or requirement at all (else: nothing to publish)."""
    return bool(data["progress"]["overall"]["requirements"]) or any(
        row["ytd"] is not None for row in data["indicators"]
    )


def latest_month(today=None):
    """(year, month) of the latest month holding any indicator value, else last month."""
    latest = MonthlyValue.objects.order_by("-month").values_list("month", flat=True).first()
    if latest:
        return latest.year, latest.month
    today = today or timezone.localdate()
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month
