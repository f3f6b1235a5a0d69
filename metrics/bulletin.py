"""The bulletin (每月一通报) as data: every figure, list and sentence for a month.

build_bulletin() returns plain JSON-ready data. The page, the xlsx export, the `bulletin`
command and a published snapshot all use it, so they cannot disagree; a published
bulletin is rendered from its stored copy of this data and never recomputed.
"""

import calendar
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from metrics import narrative
from metrics.aggregate import Point, compare, round_half_up
from metrics.models import Area, Indicator, Month, MonthlyValue, MonthState
from metrics.progress import CATEGORIES, History, at_risk, category_labels, progress_summary, scorecard, scorecard_formula

SCHEMA = 1


def month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def previous_month(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def fmt(value, decimals):
    """A Decimal as printed: fixed decimals, no exponent; None stays None (missing)."""
    if value is None:
        return None
    return f"{round_half_up(value, decimals):f}"


def period_label(month):
    return _("%(month)d月") % {"month": month} if month == 1 else _("1—%(month)d月") % {"month": month}


def _detail(indicator, figure):
    """The counts behind a figure: 179/181 for a ratio, the valid days behind a mean."""
    if figure.is_missing:
        return ""
    if indicator.combination == "ratio":
        return f"{fmt(figure.numerator, 0)}/{fmt(figure.denominator, 0)}"
    return ""


# What the bulletin reads of an indicator and an area, joined to each value.
INDICATOR_FIELDS = ("id", "code", "name", "unit", "decimals", "direction", "combination", "every_months", "target",
                    "target_year", "is_headline", "sort_order")
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
        .values("month", "value", "numerator", "denominator",
                *(f"indicator__{f}" for f in INDICATOR_FIELDS), *(f"area__{f}" for f in AREA_FIELDS))
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
        for area in sorted((areas[pk] for pk in present[indicator.pk]), key=lambda a: (not a.is_city, a.sort_order, a.pk)):
            comparison = compare(
                indicator.combination,
                series.get((indicator.pk, area.pk, year), {}),
                series.get((indicator.pk, area.pk, year - 1), {}),
                year=year, month=month, every=indicator.every_months, direction=indicator.direction,
                decimals=indicator.decimals, target=indicator.target, target_year=indicator.target_year,
            )
            rows.append(_indicator_row(indicator, area, comparison, month))
    return rows


def _indicator_row(indicator, area, c, month):
    d = indicator.decimals
    change = c.change
    return {
        "code": indicator.code,
        "name": indicator.name,
        "area": area.name,
        "is_city": area.is_city,
        "unit": indicator.display_unit,
        "kind": indicator.combination,
        "kind_label": str(indicator.get_combination_display()),
        "direction": indicator.direction,
        "direction_label": str(indicator.get_direction_display()),
        "decimals": d,
        "headline": indicator.is_headline,
        "month": fmt(c.month.value, d),
        "month_detail": _detail(indicator, c.month),
        "ytd": fmt(c.ytd.value, d),
        "ytd_detail": _detail(indicator, c.ytd),
        "ytd_as_of": c.ytd.as_of if c.ytd.as_of not in (None, month) else None,
        "last_ytd": fmt(c.last_ytd.value, d),
        "last_ytd_detail": _detail(indicator, c.last_ytd),
        "missing": list(c.ytd.missing),
        "change": {
            "absolute": fmt(change.absolute, d),
            "relative": fmt(change.relative, 1),
            "in_points": change.in_points,
            "improved": change.improved,
            "text": narrative.change_text(indicator.combination, indicator.display_unit, change, d,
                                          direction=indicator.direction),
            "detail": narrative.change_detail(indicator.combination, indicator.display_unit, change, d),
        },
        "target": {
            "value": fmt(c.target.target, d) if c.target.target is not None else None,
            "met": c.target.met,
            "progress": fmt(c.target.progress, 1),
        },
        "this_year": [fmt(c.series[m].value, d) for m in range(1, 13)],
        "last_year": [fmt(c.last_series[m].value, d) for m in range(1, 13)],
    }


def _progress(history, year, month):
    end = month_end(year, month)
    previous_end = month_end(*previous_month(year, month))
    states = history.states(end)
    before = history.states(previous_end)
    pillars, overall = progress_summary(history, states)
    previous_pillars, previous_overall = progress_summary(history, before)
    previous_by_number = {p["number"]: p for p in previous_pillars}
    for row, prior in [(overall, previous_overall)] + [(p, previous_by_number.get(p["number"])) for p in pillars]:
        row["change"] = {c: row[c] - (prior or {}).get(c, 0) for c in CATEGORIES + ["tasks_completed"]}
        row["cells"] = [{"code": c, "count": row[c], "change": row["change"][c]} for c in CATEGORIES]
    return {
        "as_of": end.isoformat(),
        "previous_as_of": previous_end.isoformat(),
        "categories": [{"code": c, "label": str(category_labels()[c])} for c in CATEGORIES],
        "pillars": pillars,
        "overall": overall,
    }, states


def build_bulletin(year, month, *, today=None):
    """Every figure, list and sentence of the bulletin for the month, as JSON-ready data."""
    today = today or timezone.localdate()
    end = month_end(year, month)
    history = History()
    progress, states = _progress(history, year, month)
    indicators = indicator_rows(year, month)
    state = Month.objects.filter(month=date(year, month, 1)).values_list("state", flat=True).first()
    data = {
        "schema": SCHEMA,
        "month": f"{year:04d}-{month:02d}",
        "year": year,
        "month_number": month,
        "title": _("打造生态环境保护铁军工作通报（%(year)d年%(month)d月）") % {"year": year, "month": month},
        "period": _("统计期间：%(year)d年%(period)s（截至%(month)d月%(day)d日）") % {
            "year": year, "period": period_label(month), "month": month, "day": end.day,
        },
        "period_label": period_label(month),
        "generated_on": today.isoformat(),
        "data_state": state or MonthState.DRAFT,
        "data_state_label": str(MonthState(state or MonthState.DRAFT).label),
        "progress": progress,
        "scorecard": {"formula": scorecard_formula(), "rows": scorecard(history, states, end)},
        "at_risk": at_risk(history, states, end),
        "indicators": indicators,
        "charts": [
            {
                "code": row["code"],
                "title": _("%(area)s%(name)s（%(unit)s）：%(year)d年与%(last)d年逐月对比") % {
                    "area": row["area"], "name": row["name"], "unit": row["unit"], "year": year, "last": year - 1,
                },
                "unit": row["unit"],
                "months": [_("%(month)d月") % {"month": m} for m in range(1, 13)],
                "series": [
                    {"name": _("%(year)d年") % {"year": year}, "data": row["this_year"][:month] + [None] * (12 - month)},
                    {"name": _("%(year)d年") % {"year": year - 1}, "data": row["last_year"]},
                ],
            }
            for row in indicators
            if row["headline"] and row["is_city"]
        ],
    }
    data["narrative"] = narrative.paragraphs(data)
    return data


def latest_month(today=None):
    """(year, month) of the latest month holding any indicator value, else last month."""
    latest = MonthlyValue.objects.order_by("-month").values_list("month", flat=True).first()
    if latest:
        return latest.year, latest.month
    today = today or timezone.localdate()
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month
