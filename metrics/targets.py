"""Where a year stands against its annual target, and what the rest of the year must do to meet it.

Pure arithmetic on the year's combined figure (metrics.aggregate.Figure), used by the bulletin and the
indicator page alike. A target is judged met or missed only at year end (December); before that the
status says what remains, as Chinese environmental bulletins state it:

* a day-weighted mean (PM2.5): the average the days left in the year must stay under (or reach),
  (target × (valid days so far + days left) − Σ(value × days) so far) / days left, the days left being the
  calendar days of the months not reported yet;
* a ratio (good-air days): how many more of the denominator's units may still fall short (非优良天数),
  the year's denominator projected from the months reported, and the ratio the remaining months must reach;
* a lower-is-better sum (complaints): what the year may still add, and that per remaining month;
* a higher-is-better sum or stock (water bodies remediated): the count still to go and the monthly pace.

target_text() and target_working() put a bulletin row's stored target facts into words and arithmetic.
"""

import calendar
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from metrics.aggregate import HUNDRED, round_half_up


@dataclass(frozen=True)
class TargetStatus:
    """`remaining` means what `remaining_kind` says:

    * mean_below / mean_above — the average the days left must stay under / reach;
    * ratio_above / ratio_below — the ratio the remaining months must reach / stay under, with `allowed` the
      units (days) that may still fall short of / count towards the ratio this year;
    * allowance — what a lower-is-better sum may still add this year (`pace`: per remaining month);
    * to_go — what a sum or stock still needs to reach the target, with `pace` per remaining month.

    `basis` holds the numbers the remaining figure was computed from, for target_working()."""

    target: Decimal | None
    met: bool | None = None
    progress: Decimal | None = None  # percent of the target reached (stock)
    remaining: Decimal | None = None
    remaining_kind: str = ""
    pace: Decimal | None = None
    allowed: Decimal | None = None
    final: bool = False  # judged at year end
    basis: dict = field(default_factory=dict)


NO_TARGET = TargetStatus(None)


def _met(value, target, direction):
    if direction == "lower":
        return value <= target
    if direction == "higher":
        return value >= target
    return None


def _ratio_allowance(numerator, denominator, projected, *, target, direction, decimals):
    """How many more of the projected year's units may fall short (higher is better: numerator/denominator
    must stay ≥ target) or count (lower is better: must stay ≤ target), judged on the ratio as printed
    (rounded half up to the indicator's decimals), the way the year-end 达标 is judged."""
    year = round_half_up(projected, 0)
    if direction == "higher":
        # The most units short N such that (year − N) / year × 100, printed, still reaches the target.
        most = (year * (1 - target / HUNDRED)).to_integral_value(ROUND_FLOOR)
        while most + 1 <= year and round_half_up((year - most - 1) / year * HUNDRED, decimals) >= target:
            most += 1
        while most >= 0 and round_half_up((year - most) / year * HUNDRED, decimals) < target:
            most -= 1
        return most - (denominator - numerator), year
    most = (year * target / HUNDRED).to_integral_value(ROUND_FLOOR)
    while most + 1 <= year and round_half_up((most + 1) / year * HUNDRED, decimals) <= target:
        most += 1
    while most >= 0 and round_half_up(most / year * HUNDRED, decimals) > target:
        most -= 1
    return most - numerator, year


def target_status(kind, figure, *, target, target_year, year, direction, decimals, month=12):
    """The year's figure so far (every month this year has, months 1..month) against the indicator's target:
    met or missed at year end (month 12), and before that the remaining allowance."""
    if target is None or (target_year is not None and target_year != year):
        return NO_TARGET
    if figure.is_missing:
        return TargetStatus(target)
    value = round_half_up(figure.value, decimals)
    progress = round_half_up(value / target * HUNDRED, 1) if kind == "stock" and target else None
    if month >= 12:
        return TargetStatus(target, _met(value, target, direction), progress, final=True)
    if direction not in ("lower", "higher"):
        return TargetStatus(target, None, progress)
    months_left = Decimal(12 - month)
    if kind == "mean_days":
        # The year's mean will be Σ(value × days) over its valid days: those reported so far and the calendar days
        # of the months not reported yet (after the month, or missing before it), taken as all valid. What those
        # days must average for the year to reach the target.
        days_left = Decimal(sum(calendar.monthrange(year, m)[1] for m in range(1, 13) if m not in figure.months))
        weighted = figure.numerator
        return TargetStatus(
            target,
            None,
            progress,
            remaining=(target * (figure.denominator + days_left) - weighted) / days_left,
            remaining_kind="mean_below" if direction == "lower" else "mean_above",
            basis={"days": figure.denominator, "days_left": days_left, "weighted": weighted},
        )
    if kind == "ratio" and figure.months:
        # The year's denominator is projected from the months reported so far (valid days, sections assessed).
        projected = figure.denominator / len(figure.months) * 12
        left = projected - figure.denominator
        if left <= 0:
            return TargetStatus(target, None, progress)
        allowed, year_units = _ratio_allowance(
            figure.numerator, figure.denominator, projected, target=target, direction=direction, decimals=decimals
        )
        return TargetStatus(
            target,
            None,
            progress,
            remaining=(target / HUNDRED * projected - figure.numerator) / left * HUNDRED,
            remaining_kind="ratio_above" if direction == "higher" else "ratio_below",
            allowed=allowed,
            basis={
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "months": len(figure.months),
                "projected": year_units,
            },
        )
    if kind == "sum" and direction == "lower":
        allowance = target - value
        return TargetStatus(
            target,
            None,
            progress,
            remaining=allowance,
            remaining_kind="allowance",
            pace=allowance / months_left if months_left and allowance > 0 else None,
            basis={"value": value, "months_left": months_left},
        )
    if kind in ("sum", "stock") and direction == "higher":
        to_go = max(target - value, Decimal(0))
        return TargetStatus(
            target,
            None,
            progress,
            remaining=to_go,
            remaining_kind="to_go",
            pace=to_go / months_left if months_left else None,
            basis={"value": value, "months_left": months_left},
        )
    return TargetStatus(target, None, progress)


def _fmt(value, decimals):
    return None if value is None else f"{round_half_up(value, decimals):f}"


def target_facts(status, decimals):
    """The status as a bulletin row keeps it (strings, JSON-ready)."""
    return {
        "value": _fmt(status.target, decimals) if status.target is not None else None,
        "met": status.met,
        "final": status.final,
        "progress": _fmt(status.progress, 1),
        "remaining": _fmt(status.remaining, decimals),
        "remaining_kind": status.remaining_kind,
        "pace": _fmt(status.pace, max(decimals, 1)),
        "allowed": _fmt(status.allowed, 0),
        "basis": {key: _fmt(number, 4).rstrip("0").rstrip(".") for key, number in status.basis.items()},
    }


def target_text(row):
    """Where the year stands against its target, from a bulletin row's facts: 达标/未达标 at year end, the
    remaining allowance before ('' without a target, or without anything to say)."""
    t = row["target"]
    if t.get("value") is None:
        return ""
    unit = row["unit"]
    if t.get("final"):
        if t["met"] is True:
            return _("已完成年度目标（%(target)s%(unit)s）") % {"target": t["value"], "unit": unit}
        if t["met"] is False:
            return _("未完成年度目标（%(target)s%(unit)s）") % {"target": t["value"], "unit": unit}
        return ""
    remaining, kind = t.get("remaining"), t.get("remaining_kind")
    if remaining is None:
        return ""
    values = {
        "target": t["value"],
        "unit": unit,
        "remaining": remaining,
        "pace": t.get("pace") or "",
        "allowed": t.get("allowed") or "",
        "counted": row.get("denominator_unit") or _("个"),
        "name": row.get("name", ""),
    }
    out_of_reach = _("按目前进度已无法完成年度目标（%(sign)s%(target)s%(unit)s）")
    if kind in ("mean_below", "mean_above"):
        sign = "≤" if kind == "mean_below" else "≥"
        if kind == "mean_below" and Decimal(remaining) < 0:
            return out_of_reach % {**values, "sign": sign}
        if kind == "mean_below":
            return _("完成年度目标（≤%(target)s%(unit)s），剩余月份%(name)s须≤%(remaining)s%(unit)s") % values
        return _("完成年度目标（≥%(target)s%(unit)s），剩余月份%(name)s须≥%(remaining)s%(unit)s") % values
    if kind in ("ratio_above", "ratio_below"):
        sign = "≥" if kind == "ratio_above" else "≤"
        if t.get("allowed") is None:  # a snapshot from before the allowance was stated in units
            return _("完成年度目标（%(sign)s%(target)s%%），剩余月份须%(sign)s%(remaining)s%%") % {
                **values,
                "sign": sign,
            }
        if Decimal(t["allowed"]) < 0:
            return out_of_reach % {**values, "sign": sign}
        if kind == "ratio_above":
            return (
                _("完成年度目标（≥%(target)s%%），全年尚可有%(allowed)s%(counted)s未达标（剩余月份须≥%(remaining)s%%）")
                % values
            )
        return (
            _("完成年度目标（≤%(target)s%%），全年尚可再计%(allowed)s%(counted)s（剩余月份须≤%(remaining)s%%）")
            % values
        )
    if kind == "allowance":
        if Decimal(remaining) < 0:
            return _("已超出年度控制目标（%(target)s%(unit)s）") % values
        if t.get("pace"):
            return (
                _(
                    "距年度控制目标（%(target)s%(unit)s）尚余%(remaining)s%(unit)s，剩余月份每月平均不超过%(pace)s%(unit)s"
                )
                % values
            )
        return _("距年度控制目标（%(target)s%(unit)s）尚余%(remaining)s%(unit)s") % values
    if kind == "to_go":
        if Decimal(remaining) <= 0:
            return _("已达到年度目标（%(target)s%(unit)s）") % values
        if t.get("pace"):
            return (
                _("距年度目标（%(target)s%(unit)s）尚差%(remaining)s%(unit)s，剩余月份每月须完成%(pace)s%(unit)s")
                % values
            )
        return _("距年度目标（%(target)s%(unit)s）尚差%(remaining)s%(unit)s") % values
    return ""


def target_working(row):
    """The arithmetic behind the remaining figure, from a row's facts ('' when there is none to show):
    (20 × 365 − 3819.1) ÷ (365 − 181) = 19.0."""
    t = row["target"]
    basis, kind, remaining = t.get("basis") or {}, t.get("remaining_kind"), t.get("remaining")
    if not basis or remaining is None or t.get("final"):
        return ""
    if kind in ("mean_below", "mean_above"):
        return _(
            "（目标%(target)s ×（已有有效天数%(days)s + 剩余%(left)s天）− 已过月份Σ(数值×有效天数)%(weighted)s）"
            "÷ 剩余%(left)s天 = %(remaining)s"
        ) % {
            "target": t["value"],
            "days": basis["days"],
            "left": basis["days_left"],
            "weighted": basis["weighted"],
            "remaining": remaining,
        }
    if kind in ("ratio_above", "ratio_below"):
        values = {
            "target": t["value"],
            "numerator": basis["numerator"],
            "denominator": basis["denominator"],
            "months": basis["months"],
            "projected": basis["projected"],
            "allowed": t.get("allowed"),
            "short": _fmt(Decimal(basis["denominator"]) - Decimal(basis["numerator"]), 0),
        }
        if kind == "ratio_above":
            return (
                _(
                    "全年分母按已报%(months)s个月推算为%(denominator)s ÷ %(months)s × 12 ≈ %(projected)s；"
                    "达到%(target)s%%最多可有%(projected)s × (1 − %(target)s%%)（取整，按四舍五入后的比例判断）"
                    "个未达标，已有%(denominator)s − %(numerator)s = %(short)s个，尚可有%(allowed)s个"
                )
                % values
            )
        return (
            _(
                "全年分母按已报%(months)s个月推算为%(denominator)s ÷ %(months)s × 12 ≈ %(projected)s；"
                "不超过%(target)s%%最多可计%(projected)s × %(target)s%%（取整）个，已有%(numerator)s个，"
                "尚可再计%(allowed)s个"
            )
            % values
        )
    if kind in ("allowance", "to_go"):
        values = {"target": t["value"], "value": basis["value"], "remaining": remaining}
        text = _("%(target)s − %(value)s = %(remaining)s") % values
        if t.get("pace"):
            text += _("；%(remaining)s ÷ 剩余%(months)s个月 = %(pace)s") % {
                **values,
                "months": basis["months_left"],
                "pace": t["pace"],
            }
        return text
    return ""
