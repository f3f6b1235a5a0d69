"""The bulletin's labels and sentences, added to its facts in the active language each time it is shown.

A published snapshot holds facts only (metrics.bulletin); present() turns them into what the page, the
xlsx, the .docx/PDF and the `bulletin` command print. The same facts give the same text every time.
Snapshots of schema 1 stored their Chinese text already and are shown as stored.
"""

import copy
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from metrics import narrative, rankings, scoring
from metrics.aggregate import YearOnYear
from metrics.models import Combination, Direction, MonthState
from metrics.progress import Category, legacy_scorecard_formula
from metrics.sources import months_param
from metrics.targets import target_text, target_working
from tasks.choices import LightCode, LightReason, Status

CHINESE_NUMBERS = "一二三四五六七八九十"


def period_label(month):
    return _("%(month)d月") % {"month": month} if month == 1 else _("1—%(month)d月") % {"month": month}


def month_list(months):
    return _("、").join(_("%(month)d月") % {"month": m} for m in months)


def date_text(iso):
    """2026-12-02 → 2026年12月2日 (GB/T 9704: Arabic numerals, the year in full, no padding)."""
    if not iso:
        return ""
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return _("%(year)d年%(month)d月%(day)d日") % {"year": year, "month": month, "day": day}


def change_of(row):
    """The aggregate.YearOnYear behind a row's stored change (strings back to Decimals)."""
    c = row["change"]
    if c.get("absolute") is None:
        return YearOnYear(None)
    return YearOnYear(
        Decimal(c["absolute"]),
        Decimal(c["relative"]) if c.get("relative") is not None else None,
        c.get("in_points", False),
        c.get("improved"),
    )


def basis_note(row):
    """Where a year-to-date figure does not cover every month of the period: which months, and that the
    comparison with last year uses the comparable months only ('' when nothing is missing)."""
    notes = []
    if row["kind"] in (Combination.STOCK, Combination.ENTERED):
        return ""  # the month the value stands at is shown as ytd_as_of
    if row["missing"]:
        notes.append(_("%(months)s数据暂缺") % {"months": month_list(row["missing"])})
    if row.get("excluded"):
        notes.append(_("去年同期%(months)s数据暂缺") % {"months": month_list(row["excluded"])})
    if notes and row["ytd"] is not None and row["last_ytd"] is not None:
        notes.append(_("同比按可比月份计算"))
    return _("，").join(notes)


def _indicator(row, year):
    change = change_of(row)
    row["kind_label"] = str(Combination(row["kind"]).label)
    row["direction_label"] = str(Direction(row["direction"]).label) if row["direction"] in Direction.values else ""
    row["change"]["text"] = narrative.change_text(
        row["kind"], row["unit"], change, row["decimals"], direction=row["direction"]
    )
    row["change"]["detail"] = narrative.change_detail(row["kind"], row["unit"], change, row["decimals"])
    row["basis_note"] = basis_note(row)
    row["target"]["text"] = target_text(row)
    row["target"]["working"] = target_working(row)
    return row


FIGURES = ("month", "ytd", "last_ytd")


def source_url(row, data, *, figure=None, side="this", months=()):
    """Where a figure's source is: for a published bulletin its snapshot's source view (the values as frozen),
    for a draft the indicator page narrowed to the months and area combined. `figure` names one of the row's
    figures (month, ytd, last_ytd); else `side` (this or last year) and `months` name a chart's month."""
    year, month = data["year"], data["month_number"]
    if figure:
        months, side = row["sources"].get(figure) or [], "last" if figure == "last_ytd" else "this"
    if data.get("version") is not None:
        url = reverse("metrics:bulletin-source", args=[f"{year:04d}", f"{month:02d}", row["code"]])
        query = {"version": data["version"], "area": row["area"]}
        query.update({"figure": figure} if figure else {"side": side, "months": months_param(months)})
    else:
        url = reverse("metrics:indicator", args=[row["code"]])
        query = {"area": row["area"], "year": year - 1 if side == "last" else year, "months": months_param(months)}
    return f"{url}?{urlencode(query)}#source"


def source_links(row, data):
    """{figure: url} for the row's figures that have a source (snapshots from before sources were kept have
    none)."""
    if "sources" not in row:
        return {}
    return {
        figure: source_url(row, data, figure=figure)
        for figure in FIGURES
        if row.get(figure) is not None and row["sources"].get(figure)
    }


def _rankings(data, period_label):
    links = {(r["code"], r["area"]): r.get("links", {}).get("ytd") for r in data["indicators"]}
    for ranking in data.get("rankings", []):
        rankings.labelled(ranking, period_label)
        ranking["url"] = reverse("metrics:indicator", args=[ranking["code"]])
        for row in ranking["rows"]:
            row["link"] = links.get((ranking["code"], row["area"]))


def _chart(row, data):
    year, month = data["year"], data["month_number"]
    values = [row["ytd"], row["last_ytd"]]
    return {
        "code": row["code"],
        "title": _("%(area)s%(name)s（%(unit)s）：%(year)d年与%(last)d年逐月对比")
        % {
            "area": row["area"],
            "name": row["name"],
            "unit": row["unit"],
            "year": year,
            "last": year - 1,
        },
        "unit": row["unit"],
        # Concentrations are drawn as lines (a bar's length would claim a zero the unit has not); others as
        # bars from zero.
        "kind": "line" if row["kind"] == Combination.MEAN_DAYS else "bar",
        "months": [_("%(month)d月") % {"month": m} for m in range(1, 13)],
        "series": [
            {"name": _("%(year)d年") % {"year": year}, "data": row["this_year"][:month] + [None] * (12 - month)},
            {"name": _("%(year)d年") % {"year": year - 1}, "data": row["last_year"]},
        ],
        # The data table beside the chart: each month's figure linked to its source (none in snapshots from
        # before sources were kept). Not sent to the chart script.
        "table": [
            {
                "name": _("%(year)d年") % {"year": of_year},
                "cells": [
                    {
                        "value": v,
                        "link": source_url(row, data, side=side, months=[m])
                        if "sources" in row and v is not None
                        else None,
                    }
                    for m, v in enumerate(values_of, start=1)
                ],
            }
            for side, of_year, values_of in (
                ("this", year, row["this_year"][:month] + [None] * (12 - month)),
                ("last", year - 1, row["last_year"]),
            )
        ],
        "description": chart_description(row, year, month),
        "has_values": any(v is not None for v in values + row["this_year"] + row["last_year"]),
    }


def chart_description(row, year, month):
    """What a screen reader says for a chart: every month's figure of both years, 暂缺 where missing."""

    def listed(values):
        return _("，").join(
            _("%(month)d月%(value)s") % {"month": m, "value": v if v is not None else _("暂缺")}
            for m, v in enumerate(values, start=1)
        )

    return _("%(name)s（%(unit)s）。%(year)d年：%(this)s。%(last)d年：%(prior)s。") % {
        "name": row["name"],
        "unit": row["unit"],
        "year": year,
        "last": year - 1,
        "this": listed(row["this_year"][:month]),
        "prior": listed(row["last_year"]),
    }


def risk_summary(rows, shown=None):
    """The at-risk list in figures: how many red and yellow, per responsible department (as the table writes
    it) the most red first, and how many of the rows are shown (None: all)."""
    red = sum(1 for r in rows if r["light"] == LightCode.RED)
    departments = {}
    for r in rows:
        for name in r["departments"]:
            counts = departments.setdefault(name, {"department": name, "red": 0, "yellow": 0})
            counts["red" if r["light"] == LightCode.RED else "yellow"] += 1
    by_department = sorted(departments.values(), key=lambda d: (-d["red"], -d["yellow"], d["department"]))
    for d in by_department:
        d["total"] = d["red"] + d["yellow"]
    total = len(rows)
    return {
        "total": total,
        "red": red,
        "yellow": total - red,
        "departments": by_department,
        "shown": total if shown is None else min(shown, total),
    }


def label_risks(rows):
    """The at-risk (or 领导交办事项) rows with their light and reason in words (the rows themselves are changed)."""
    for row in rows:
        row["light_label"] = str(LightCode(row["light"]).label) if row["light"] in LightCode.values else ""
        row["reason_label"] = str(LightReason(row["reason"]).label) if row["reason"] in LightReason.values else ""
    return rows


def present(facts, *, at_risk_rows=None):
    """The facts with every label and sentence of the bulletin, in the active language (a new dict).

    `at_risk_rows` keeps only the first so many at-risk rows (a page of a province-sized table lists the most
    overdue and links to the full list); `risk` summarises the whole list whatever is kept."""
    if facts.get("schema", 1) < 2:
        return {**facts, "risk": risk_summary(facts.get("at_risk", [])), "sections": sections(facts)}
    data = copy.deepcopy({key: value for key, value in facts.items() if key != "at_risk"})
    data["risk"] = risk_summary(facts["at_risk"], at_risk_rows)
    data["at_risk"] = copy.deepcopy(facts["at_risk"][: data["risk"]["shown"]])
    year, month = data["year"], data["month_number"]
    data["bureau"] = settings.TIEJU_BUREAU_NAME
    data["office"] = settings.TIEJU_BULLETIN_OFFICE
    data["title"] = _("打造生态环境保护铁军工作通报（%(year)d年%(month)d月）") % {"year": year, "month": month}
    data["period_label"] = period_label(month)
    data["period"] = _("统计期间：%(year)d年%(period)s（截至%(month)d月%(day)d日）") % {
        "year": year,
        "period": data["period_label"],
        "month": month,
        "day": data["last_day"],
    }
    data["data_state_label"] = str(MonthState(data["data_state"]).label)
    data["issued_on_text"] = date_text(data.get("issued_on"))
    data["generated_on_text"] = date_text(data.get("generated_on"))
    data["progress"]["categories"] = [
        {"code": c, "label": str(Category(c).label)} for c in data["progress"]["categories"]
    ]
    _scorecard(data["scorecard"])
    label_risks(data["at_risk"] + data.get("instructions", []))
    for row in data.get("instructions", []):
        row["status_label"] = str(Status(row["status"]).label) if row["status"] in Status.values else row["status"]
    if "signing" in data:
        data["signing"]["text"] = signing_text(data["signing"])
    for row in data["indicators"]:
        _indicator(row, year)
        row["links"] = source_links(row, data)
        row["url"] = reverse("metrics:indicator", args=[row["code"]])
    _rankings(data, data["period_label"])
    data["charts"] = [_chart(row, data) for row in data["indicators"] if row["headline"] and row["is_city"]]
    reporting = data.get("reporting") or {}
    if reporting.get("expected"):
        data["reporting_text"] = _("本月应报指标数据%(x)s项，已报%(e)s项：数据报送完整率%(c)s%%，及时率%(t)s%%。") % {
            "x": reporting["expected"],
            "e": reporting["entered"],
            "c": reporting["completeness"],
            "t": reporting["timeliness"],
        }
    data["narrative"] = narrative.paragraphs(data)
    data["sections"] = sections(data)
    return data


def signing_text(signing):
    """The 签收 sentence, as the page and the .docx print it: the rate (or that nothing was owed) and the
    items still unsigned after the set working days."""
    if signing["owed"]:
        text = _("截至月末应签收%(owed)s项次，已签收%(signed)s项次，签收率%(rate)s%%。") % signing
    else:
        text = _("截至月末无应签收事项。")
    if signing["late"]:
        items = [
            (_("交办第%(number)s项") if row["source"] == "instruction" else _("第%(number)s项")) % row
            + _("（%(department)s，%(on)s）") % {"department": row["department"], "on": row["assigned_on"]}
            for row in signing["late"]
        ]
        text += (
            _("超过%(days)s个工作日未签收%(n)s项次：") % {"days": signing["within_days"], "n": len(items)}
            + _("、").join(items)
            + _("。")
        )
    return text


def _scorecard(scorecard):
    """The formula and each department's events in words, from the rules the facts hold (none: a bulletin
    published before the scorecard was made of rules, shown with the formula it was ranked by)."""
    if "rules" not in scorecard:
        scorecard["formula"] = legacy_scorecard_formula()
        return
    scorecard["formula"] = scoring.formula_text(scorecard["rules"])
    scorecard["rules_text"] = scoring.rules_text(scorecard["rules"])
    for rule in scorecard["rules"]:
        rule["label"] = scoring.event_label(rule["event"])
        rule["points_text"] = scoring.points_text(rule["points"])
    for row in scorecard["rows"]:
        for event in row["events"]:
            event["label"] = scoring.event_label(event["event"])
            event["text"] = scoring.detail_text(event)
            event["points_text"] = scoring.points_text(event["points"])


def heading_number(n):
    """The number of the nth section heading: 一 in Chinese (一、总体情况), 1 in English (1. Overview)."""
    if (get_language() or "zh").startswith("zh") and n <= len(CHINESE_NUMBERS):
        return CHINESE_NUMBERS[n - 1]
    return str(n)


# The bulletin's sections in order: (key, the template that renders it, its title). A section is one
# template under templates/metrics/bulletin/ that receives `section` (key, heading) and `data`.
SECTIONS = [
    ("summary", "metrics/bulletin/_summary.html", lambda: _("总体情况")),
    ("progress", "metrics/bulletin/_progress.html", lambda: _("任务推进情况")),
    ("scorecard", "metrics/bulletin/_scorecard.html", lambda: _("部门推进情况排名")),
    ("risk", "metrics/bulletin/_risk.html", lambda: _("逾期及风险事项")),
    ("instructions", "metrics/bulletin/_instructions.html", lambda: _("领导交办事项")),
    ("indicators", "metrics/bulletin/_indicators.html", lambda: _("生态环境指标")),
    ("rankings", "metrics/bulletin/_rankings.html", lambda: _("各区指标排名")),
    ("charts", "metrics/bulletin/_charts.html", lambda: _("重点指标逐月对比")),
    ("next", "metrics/bulletin/_next.html", lambda: _("工作要求")),
]


def sections(data):
    """The sections this bulletin has, numbered in order (a snapshot from before the supervision loop has no
    领导交办事项 section, and its scorecard is the fixed-weight one)."""
    shown = []
    for key, template, title in SECTIONS:
        if key == "instructions" and "instructions" not in data:
            continue
        if key == "rankings" and not data.get("rankings"):
            continue  # no indicator with two districts' figures (or a snapshot from before rankings)
        if key == "scorecard" and "rules" not in data["scorecard"]:
            template = "metrics/bulletin/_scorecard_weights.html"
        number = len(shown) + 1
        shown.append(
            {
                "key": key,
                "template": template,
                "number": number,
                "heading": _("%(n)s、%(text)s") % {"n": heading_number(number), "text": title()},
            }
        )
    return shown
