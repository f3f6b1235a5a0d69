"""District rankings of an indicator: best first by its direction of improvement, ties shared (并列).

Ranked on the year-to-date figure as printed (rounded to the indicator's decimals), so two districts that
read the same share a rank: 1, 2, 2, 4 (并列第2). Within a tie the order is stated and fixed: the larger
improvement on the same period last year first, then the areas' standard order. The most improved district
is the one whose figure improved most on last year — in 百分点 for ratios, in the unit for concentrations,
in per cent for counts and sums (districts differ in size) — and only an improvement counts.

Pure functions of bulletin rows (metrics.bulletin facts); the bulletin and the indicator page both use them.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

RANKED_DIRECTIONS = ("lower", "higher")


def _improvement(row):
    """How much the row's figure improved on last year, in the measure the ranking compares (None: no
    comparison). Positive is better whatever the direction."""
    change = row.get("change") or {}
    if row["kind"] in ("sum", "stock"):
        amount = change.get("relative")
    else:
        amount = change.get("absolute")
    if amount is None:
        return None
    amount = Decimal(amount)
    return -amount if row["direction"] == "lower" else amount


def is_rankable(indicator_rows):
    """Whether these rows (one indicator, every area) give a ranking: a direction of improvement, a computed
    figure (ranks entered as published are not ranked again) and two districts or more with a figure."""
    districts = [r for r in indicator_rows if not r["is_city"] and r["ytd"] is not None]
    first = indicator_rows[0] if indicator_rows else {}
    return len(districts) >= 2 and first.get("direction") in RANKED_DIRECTIONS and first.get("kind") != "entered"


def rank_districts(indicator_rows):
    """The ranking facts for one indicator from its bulletin rows (the city's row is left out):
    {code, name, unit, kind, direction, rows: [{area, value, rank, tied, improvement, improved}], most_improved,
    improvement}. Districts without a figure come last, unranked."""
    first = indicator_rows[0]
    lower = first["direction"] == "lower"
    districts = [r for r in indicator_rows if not r["is_city"]]
    with_value = [r for r in districts if r["ytd"] is not None]
    order = {id(r): position for position, r in enumerate(districts)}

    def key(row):
        value = Decimal(row["ytd"])
        improvement = _improvement(row)
        return (
            value if lower else -value,
            0 if improvement is not None else 1,
            -(improvement or 0),
            order[id(row)],
        )

    ranked = sorted(with_value, key=key)
    values = [Decimal(r["ytd"]) for r in ranked]
    rows = []
    for position, row in enumerate(ranked):
        value = values[position]
        rank = values.index(value) + 1  # competition ranking: 1, 2, 2, 4
        improvement = _improvement(row)
        rows.append(
            {
                "area": row["area"],
                "value": row["ytd"],
                "rank": rank,
                "tied": values.count(value) > 1,
                "improvement": f"{improvement:f}" if improvement is not None else None,
                "improved": row["change"].get("improved"),
            }
        )
    rows += [
        {"area": r["area"], "value": None, "rank": None, "tied": False, "improvement": None, "improved": None}
        for r in districts
        if r["ytd"] is None
    ]
    improvements = [(Decimal(r["improvement"]), r["area"]) for r in rows if r["improvement"] is not None]
    best = max((amount for amount, _area in improvements), default=None)
    most_improved = [area for amount, area in improvements if best is not None and best > 0 and amount == best]
    return {
        "code": first["code"],
        "name": first["name"],
        "unit": first["unit"],
        "kind": first["kind"],
        "direction": first["direction"],
        "rows": rows,
        "most_improved": most_improved,
        "improvement": f"{best:f}" if most_improved else None,
    }


def rankings(rows):
    """The ranking of every indicator whose rows allow one, in the rows' order (bulletin rows of every
    indicator and area)."""
    by_code = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    return [rank_districts(group) for group in by_code.values() if is_rankable(group)]


def rank_text(row):
    """第2名 / 并列第2名 / 暂缺."""
    if row["rank"] is None:
        return _("暂缺")
    if row["tied"]:
        return _("并列第%(rank)d名") % {"rank": row["rank"]}
    return _("第%(rank)d名") % {"rank": row["rank"]}


def improvement_text(ranking):
    """改善最大：南山区（同比改善2.1个百分点）; '' when no district improved."""
    if not ranking["most_improved"]:
        return ""
    if ranking["kind"] == "ratio":
        amount = _("%(amount)s个百分点") % {"amount": ranking["improvement"]}
    elif ranking["kind"] in ("sum", "stock"):
        amount = _("%(amount)s%%") % {"amount": ranking["improvement"]}
    else:
        amount = _("%(amount)s%(unit)s") % {"amount": ranking["improvement"], "unit": ranking["unit"]}
    return _("改善最大：%(areas)s（同比改善%(amount)s）") % {
        "areas": _("、").join(ranking["most_improved"]),
        "amount": amount,
    }


def basis_text(ranking, period_label):
    """What the ranking is made of and how ties are broken, as the bulletin states it."""
    order = _("由低到高") if ranking["direction"] == "lower" else _("由高到低")
    return _(
        "按%(period)s累计值%(order)s排名（%(direction)s）；数值相同（按显示位数）并列，并列时同比改善幅度大的在前，"
        "再按区域顺序。"
    ) % {
        "period": period_label,
        "order": order,
        "direction": _("越低越好") if ranking["direction"] == "lower" else _("越高越好"),
    }


def labelled(ranking, period_label):
    """The ranking with its words in the active language: the basis and tie-break, the most improved, each
    district's place (a new key on the same dict, returned)."""
    ranking["basis"] = basis_text(ranking, period_label)
    ranking["improvement_text"] = improvement_text(ranking)
    for row in ranking["rows"]:
        row["rank_text"] = rank_text(row)
    return ranking
