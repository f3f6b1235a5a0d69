"""Checks across a month's values: administrators' validation rules, and outliers against history.

Both run on the numbers as they would stand (the grid's or an import's, before anything is written), so the
entry page, the import and the submission report the same findings."""

import operator as op
from dataclasses import dataclass
from decimal import Decimal
from statistics import fmean, pstdev

from django.utils.translation import gettext as _

from metrics.models import MonthlyValue, Operator, ValidationRule
from metrics.validation import _plain, check_value

HUNDRED = Decimal(100)
COMPARE = {
    Operator.LE: op.le,
    Operator.LT: op.lt,
    Operator.EQ: op.eq,
    Operator.GE: op.ge,
    Operator.GT: op.gt,
}
# Far from the same month of earlier years: more than 3 standard deviations and more than 20 % off their mean.
MIN_YEARS, SPREAD, SHARE = 3, 3, 0.2


@dataclass
class Violation:
    rule: ValidationRule
    left: tuple  # (indicator pk, area pk)
    right: tuple
    left_number: Decimal
    right_number: Decimal

    @property
    def cells(self):
        return {self.left, self.right}

    def message(self):
        return _("%(text)s（%(left)s %(op)s %(right)s 不成立）") % {
            "text": self.rule.text,
            "left": _plain(self.left_number),
            "op": self.rule.get_operator_display(),
            "right": _plain(self.right_number),
        }


def numbers_of(value):
    """{value, numerator, denominator} of a MonthlyValue."""
    return {f: getattr(value, f) for f in ("value", "numerator", "denominator")}


def rule_violations(numbers, rules=None):
    """The rules broken by a month's numbers: numbers is {(indicator pk, area pk): {field: Decimal or None}}.
    A rule whose sides are not both filled in is not evaluated (a missing value breaks nothing)."""
    if rules is None:
        rules = list(ValidationRule.objects.filter(is_active=True))
    found = []
    for rule in rules:
        if rule.left_area_id is not None:
            pairs = [((rule.left_indicator_id, rule.left_area_id), (rule.right_indicator_id, rule.right_area_id))]
        else:
            areas = {a for (i, a) in numbers if i == rule.left_indicator_id}
            pairs = [((rule.left_indicator_id, a), (rule.right_indicator_id, a)) for a in sorted(areas)]
        for left, right in pairs:
            a = numbers.get(left, {}).get(rule.left_field)
            b = numbers.get(right, {}).get(rule.right_field)
            if a is not None and b is not None and not COMPARE[rule.operator](a, b):
                found.append(Violation(rule, left, right, a, b))
    return found


def _shown(indicator, numbers):
    if indicator.is_ratio:
        n, d = numbers.get("numerator"), numbers.get("denominator")
        return n / d * HUNDRED if n is not None and d else None
    return numbers.get("value")


def same_month_history(month, keys):
    """{(indicator pk, area pk): {year: MonthlyValue}} for the same calendar month of earlier years."""
    indicator_pks = {i for i, _a in keys}
    found = {}
    for value in MonthlyValue.objects.filter(
        indicator__in=indicator_pks, month__month=month.month, month__year__lt=month.year
    ).select_related("indicator"):
        found.setdefault((value.indicator_id, value.area_id), {})[value.month.year] = value
    return found


def outlier_warnings(indicator, *, month, numbers, earlier):
    """Why these numbers look unusual ([] when they do not): outside the indicator's usual range, or — once
    at least three earlier years hold the same month — far from what those years had."""
    _errors, warnings = check_value(indicator, month=month, **numbers)
    found = [message for _field, message in warnings]
    shown = _shown(indicator, numbers)
    past = [float(s) for s in (_shown(indicator, numbers_of(v)) for v in earlier.values()) if s is not None]
    if shown is not None and len(past) >= MIN_YEARS:
        mean, spread = fmean(past), pstdev(past)
        distance = abs(float(shown) - mean)
        if distance > SPREAD * spread and distance > SHARE * abs(mean):
            found.append(
                _("与往年同月（%(years)d年，平均%(mean)s）相差较大，请核实")
                % {"years": len(past), "mean": _plain(Decimal(str(round(mean, indicator.decimals or 1))))}
            )
    return found


def month_findings(month, values):
    """What the entry page shows at each cell of a month's stored values: ({(indicator pk, area pk):
    [message]}, [Violation]). values: {(indicator pk, area pk): MonthlyValue with its indicator}."""
    findings = {}
    history = same_month_history(month, list(values))
    for key, value in values.items():
        warnings = outlier_warnings(
            value.indicator, month=month, numbers=numbers_of(value), earlier=history.get(key, {})
        )
        if warnings:
            findings.setdefault(key, []).extend(warnings)
    violations = rule_violations({key: numbers_of(v) for key, v in values.items()})
    for violation in violations:
        for cell in sorted(violation.cells):
            findings.setdefault(cell, []).append(violation.message())
    return findings, violations
