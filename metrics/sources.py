"""The source of a bulletin figure: the stored values it combines and the arithmetic that combines them.

The same for a live figure (values read from the database) and for a published one (values frozen in its
snapshot, metrics.bulletin `points`): source() takes the series and the months the figure combines and
recombines them with metrics.aggregate, so what it shows is exactly what the bulletin computed.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from metrics.aggregate import Point, combine, round_half_up


def plain(number):
    """A stored Decimal without trailing zeros: 35.3000 → 35.3, 1130.0000 → 1130."""
    if number is None:
        return None
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def snapshot_series(points):
    """{month: Point} from a snapshot's [[month, value, numerator, denominator], …]."""

    def number(text):
        return None if text is None else Decimal(text)

    return {int(m): Point(number(v), number(n), number(d)) for m, v, n, d in points}


def parse_months(text):
    """'1,2,3' or '1-6' or '1-3,5' → sorted month numbers 1–12; anything else is left out."""
    months = set()
    for part in (text or "").split(",")[:12]:
        start, _sep, end = part.strip().partition("-")
        if not (start.isdigit() and (not end or end.isdigit())):
            continue
        first, last = int(start), int(end or start)
        months.update(m for m in range(first, last + 1) if 1 <= m <= 12)
    return sorted(months)


def months_param(months):
    """[1, 2, 3, 5] → '1-3,5' (parse_months reads it back)."""
    runs = []
    for m in sorted(months):
        if runs and runs[-1][1] == m - 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    return ",".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs)


def source(kind, series, months, *, decimals, unit):
    """{rows: [{month, value, numerator, denominator, product}], formula, result, missing} for the months a
    figure combines: each month's stored values and, for a day-weighted mean, value × days; the formula with
    the numbers put in; the result as printed. A month asked for that holds no value is listed as missing."""
    chosen = {m: series[m] for m in months if m in series}
    missing = [m for m in months if m not in chosen]
    rows = []
    for m, point in sorted(chosen.items()):
        product = (
            point.value * point.denominator
            if kind == "mean_days" and None not in (point.value, point.denominator)
            else None
        )
        rows.append(
            {
                "month": m,
                "value": plain(point.value),
                "numerator": plain(point.numerator),
                "denominator": plain(point.denominator),
                "product": plain(product),
            }
        )
    if not chosen:
        return {"rows": rows, "formula": "", "result": None, "missing": missing}
    last = max(chosen)
    figure = combine(kind, chosen, last, start=min(chosen))
    result = None if figure.is_missing else f"{round_half_up(figure.value, decimals):f}"
    return {"rows": rows, "formula": formula(kind, rows, figure, result, unit), "result": result, "missing": missing}


def _terms(numbers):
    return " + ".join(numbers)


def formula(kind, rows, figure, result, unit):
    """The combination written out with its numbers: Σ(value × days) ÷ Σdays = (… ) ÷ (…) = … ÷ … = 21.1."""
    if result is None:
        return ""
    if kind == "mean_days":
        return _(
            "Σ(数值 × 有效天数) ÷ Σ有效天数 = (%(products)s) ÷ (%(days)s) = %(weighted)s ÷ %(total)s = %(result)s%(unit)s"
        ) % {
            "products": _terms(f"{r['value']} × {r['denominator']}" for r in rows),
            "days": _terms(r["denominator"] for r in rows),
            "weighted": plain(figure.numerator),
            "total": plain(figure.denominator),
            "result": result,
            "unit": unit,
        }
    if kind == "ratio":
        return _(
            "Σ分子 ÷ Σ分母 × 100 = (%(numerators)s) ÷ (%(denominators)s) × 100 = %(numerator)s ÷ %(denominator)s × 100 = %(result)s%%"
        ) % {
            "numerators": _terms(r["numerator"] for r in rows),
            "denominators": _terms(r["denominator"] for r in rows),
            "numerator": plain(figure.numerator),
            "denominator": plain(figure.denominator),
            "result": result,
        }
    if kind == "sum":
        return _("Σ数值 = %(terms)s = %(result)s%(unit)s") % {
            "terms": _terms(r["value"] for r in rows),
            "result": result,
            "unit": unit,
        }
    return _("取截至当月的最新值（%(month)d月）= %(result)s%(unit)s") % {
        "month": figure.as_of,
        "result": result,
        "unit": unit,
    }
