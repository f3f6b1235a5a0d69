"""The indicator pages: the list, one page per indicator (its years, values, who entered and approved them,
target and ranking, and the source of a figure), and the source of a published bulletin's figure as frozen."""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from metrics import rankings
from metrics.aggregate import Point, combine, month_figure
from metrics.bulletin import fmt, indicator_row
from metrics.models import (
    Area,
    Bulletin,
    Combination,
    Direction,
    Indicator,
    Month,
    MonthEvent,
    MonthlyValue,
    MonthState,
)
from metrics.present import FIGURES, month_list, period_label
from metrics.sources import months_param, parse_months, plain, snapshot_series, source
from metrics.targets import target_text, target_working
from metrics.views.common import month_or_404
from tasks.access import require


def _labels(indicator):
    return {
        "kind": Combination(indicator.combination).label,
        "direction": Direction(indicator.direction).label if indicator.direction in Direction.values else "",
        "unit": indicator.display_unit,
    }


@login_required
def indicator_list(request):
    require(request, "metrics.view_bulletin")
    indicators = Indicator.objects.active().annotate(
        areas=Count("values__area", distinct=True), latest=Max("values__month")
    )
    return render(
        request,
        "metrics/indicator_list.html",
        {"indicators": [(indicator, _labels(indicator)) for indicator in indicators]},
    )


def _pick(request, names, default):
    wanted = request.GET.get("area", "")[:50]
    return wanted if wanted in names else default


def _int(text, default):
    return int(text) if text and text.isdigit() and len(text) <= 4 else default


def _period_text(months):
    """1—6月 for a run from January, else the months listed (1月、3月)."""
    if months and months == list(range(1, months[-1] + 1)):
        return period_label(months[-1])
    return month_list(months)


def _monthly_rows(indicator, year_series, stored, area, year, months):
    """The year's monthly values of the area (only `months` when given, listing those without a value too), each
    with the month's figure, who entered it last, the month's state and who approved it."""
    states = dict(Month.objects.filter(month__year=year).values_list("month", "state"))
    approvals = {}
    events = MonthEvent.objects.filter(month__month__year=year, action=MonthEvent.Action.APPROVE)
    for event in events.select_related("user", "month").order_by("created_at", "pk"):
        approvals[event.month.month.month] = event  # the latest approval of each month
    rows = []
    for m in months or range(1, 13):
        value = stored.get((area.pk, year, m))
        if value is None and not months:
            continue
        state = states.get(date(year, m, 1), MonthState.DRAFT)
        rows.append(
            {
                "month": m,
                "stored": value,
                "numbers": {f: plain(getattr(value, f)) for f in ("value", "numerator", "denominator")}
                if value
                else {},
                "figure": fmt(month_figure(indicator.combination, year_series, m).value, indicator.decimals),
                "state": MonthState(state).label,
                "approval": approvals.get(m) if state == MonthState.APPROVED else None,
            }
        )
    return rows


def _years_chart(indicator, area, series, years, year, upto):
    """(table, chart): each year's monthly figures and year-to-date figure for the area, and the chart of them
    (the latest year first: its figures are labelled on the chart)."""
    kind, decimals, unit = indicator.combination, indicator.decimals, indicator.display_unit
    table = []
    for y in years:
        s = series[area.pk, y]
        last = 12 if y != year or upto == 12 else upto
        table.append(
            {
                "year": y,
                "months": [fmt(month_figure(kind, s, m).value, decimals) for m in range(1, 13)],
                "total": fmt(combine(kind, s, last).value, decimals),
                "total_label": period_label(last),
            }
        )
    chart = {
        "title": _("%(area)s%(name)s（%(unit)s）：逐年逐月")
        % {"area": area.name, "name": indicator.name, "unit": unit},
        "unit": unit,
        "kind": "line",  # several years read as lines; the table beside gives every figure
        "months": [_("%(month)d月") % {"month": m} for m in range(1, 13)],
        "series": [{"name": _("%(year)d年") % {"year": t["year"]}, "data": t["months"]} for t in table],
        "colors": ["#0b5d3b", "#8895a3", "#b8860b", "#4a6fa5", "#9c4f96"],
        "description": _("；").join(
            _("%(year)d年：%(values)s")
            % {
                "year": t["year"],
                "values": _("，").join(
                    _("%(month)d月%(value)s") % {"month": m, "value": v if v is not None else _("暂缺")}
                    for m, v in enumerate(t["months"], start=1)
                ),
            }
            for t in table
        ),
    }
    return table, chart


@login_required
def indicator_detail(request, code):
    """One indicator: every year of one area as a chart with its table; the chosen year's monthly values with who
    entered and who approved them; the year's target and the district ranking; and, given ?months=, the source
    of a figure: the values of those months and how they combine."""
    require(request, "metrics.view_bulletin")
    indicator = get_object_or_404(Indicator.objects.active(), code=code)
    kind, decimals = indicator.combination, indicator.decimals
    values = list(
        MonthlyValue.objects.filter(indicator=indicator).select_related("area", "updated_by").order_by("month")
    )
    areas = sorted({v.area for v in values}, key=lambda a: (not a.is_city, a.sort_order, a.pk))
    if not areas:
        areas = [Area.objects.get(is_city=True)]
    by_name = {a.name: a for a in areas}
    area = by_name[_pick(request, by_name, areas[0].name)]
    series = defaultdict(dict)  # (area id, year) → {month: Point}
    stored = {}  # (area id, year, month) → MonthlyValue
    for v in values:
        series[v.area_id, v.month.year][v.month.month] = Point(v.value, v.numerator, v.denominator)
        stored[v.area_id, v.month.year, v.month.month] = v
    years = sorted({year for (area_id, year) in series if area_id == area.pk})
    year = _int(request.GET.get("year"), years[-1] if years else None)
    if years and year not in years:
        year = years[-1]
    # The year's figures stand as of its latest month with a value in any area (the bulletin's month for a year
    # not yet over).
    upto = max((m for (area_id, y), s in series.items() if y == year for m in s), default=12)
    rows, row, ranking = [], None, None
    if year is not None:
        rows = [
            indicator_row(indicator, a, series[a.pk, year], series[a.pk, year - 1], year=year, month=upto)
            for a in areas
        ]
        row = next(r for r in rows if r["area"] == area.name)
        row["target"]["text"] = target_text(row)
        row["target"]["working"] = target_working(row)
    if rows and rankings.is_rankable(rows):
        ranking = rankings.labelled(rankings.rank_districts(rows), period_label(upto))

    # Months asked for narrow the page to a figure's source.
    months = parse_months(request.GET.get("months", "")[:40])
    figure_source = None
    if months and year is not None:
        figure_source = source(kind, series[area.pk, year], months, decimals=decimals, unit=indicator.display_unit)
        figure_source["period"] = _period_text(months)

    monthly = _monthly_rows(indicator, series[area.pk, year], stored, area, year, months) if year else []
    table, chart = _years_chart(indicator, area, series, years[-5:][::-1], year, upto)
    context = {
        "indicator": indicator,
        "labels": _labels(indicator),
        "areas": areas,
        "area": area,
        "years": years,
        "year": year,
        "upto": upto,
        "period": period_label(upto),
        "row": row,
        "ranking": ranking,
        "source": figure_source,
        "source_months": months,
        "monthly": monthly,
        "table": table,
        "chart": chart,
        "chart_data": {"charts": [chart] if table else []},
        "all_months_url": f"{reverse('metrics:indicator', args=[indicator.code])}?"
        + urlencode({"area": area.name, "year": year or ""}),
    }
    return render(request, "metrics/indicator.html", context)


def _snapshot_figure(request, row, year):
    """(months, side, the figure as the bulletin printed it, its label) that ?figure= or ?side=&months= name."""
    figure = request.GET.get("figure", "")
    if figure in FIGURES:
        months = (row.get("sources") or {}).get(figure)
        stated = row.get(figure)
        label = {"month": _("当月"), "ytd": _("累计"), "last_ytd": _("上年同期")}[figure]
        return months, "last" if figure == "last_ytd" else "this", stated, label
    side = request.GET.get("side", "")
    months = parse_months(request.GET.get("months", "")[:40])
    if side not in ("this", "last") or len(months) != 1:
        raise Http404
    printed = row.get("this_year" if side == "this" else "last_year") or []
    stated = printed[months[0] - 1] if len(printed) >= months[0] else None
    return months, side, stated, _("%(year)d年%(month)d月") % {"year": year - (side == "last"), "month": months[0]}


@login_required
def bulletin_source(request, year, month, code):
    """The source of a published bulletin's figure as frozen in its snapshot: ?version=N&area=…&figure=ytd (or
    &side=this|last&months=M for a month of its charts)."""
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    version = _int(request.GET.get("version"), None)
    if version is None:
        raise Http404
    published = get_object_or_404(Bulletin, month=month, version=version)
    area = request.GET.get("area", "")[:50]
    row = next((r for r in published.data.get("indicators", []) if r["code"] == code and r["area"] == area), None)
    if row is None:
        raise Http404
    months, side, stated, label = _snapshot_figure(request, row, month.year)
    the_year = month.year - 1 if side == "last" else month.year
    figure_source = None
    if months is not None and "points" in row:
        points = row["points"][side]
        figure_source = source(row["kind"], snapshot_series(points), months, decimals=row["decimals"], unit=row["unit"])
        figure_source["period"] = _period_text(months)
    live = reverse("metrics:indicator", args=[code])
    query = urlencode({"area": area, "year": the_year, "months": months_param(months or [])})
    return render(
        request,
        "metrics/bulletin_source.html",
        {
            "month": month,
            "published": published,
            "row": row,
            "figure_label": label,
            "stated": stated,
            "source": figure_source,
            "year": the_year,
            "live_url": f"{live}?{query}#source",
            "bulletin_url": f"{reverse('metrics:bulletin', args=[f'{month:%Y}', f'{month:%m}'])}?version={version}",
        },
    )
