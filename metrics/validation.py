"""Checks on one month's value of one indicator, shared by the entry grid and the import."""

import calendar
from decimal import Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
LIMIT = Decimal("1e10")  # MonthlyValue stores 14 digits, 4 after the point


def check_value(indicator, *, month, value, numerator, denominator):
    """(errors, warnings): errors as [(field, message)] block saving; warnings are shown but allowed."""
    errors, warnings = [], []
    for field, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            errors.append((field, _("不能为负数")))
        elif number is not None and number >= LIMIT:
            errors.append((field, _("数值过大")))
    if errors:
        return errors, warnings
    kind = indicator.combination
    if kind == "ratio":
        if value is not None and numerator is None and denominator is None:
            errors.append(("numerator", _("比例指标请填写分子和分母，不要直接填写百分比")))
        elif numerator is None or denominator is None:
            errors.append(("numerator" if numerator is None else "denominator", _("比例指标须同时填写分子和分母")))
        elif denominator == 0:
            errors.append(("denominator", _("分母不能为0")))
        elif numerator > denominator:
            errors.append(
                (
                    "numerator",
                    _("分子（%(n)s）不能大于分母（%(d)s），比例不能超过100%%")
                    % {"n": _plain(numerator), "d": _plain(denominator)},
                )
            )
        shown = numerator / denominator * HUNDRED if not errors else None
    else:
        if value is None:
            errors.append(("value", _("请填写数值")))
        if kind == "mean_days":
            days = calendar.monthrange(month.year, month.month)[1]
            if denominator is None:
                errors.append(("denominator", _("请填写有效监测天数（分母）")))
            elif denominator == 0 or denominator > days:
                errors.append(("denominator", _("有效天数应在1至%(days)d之间") % {"days": days}))
        if (
            kind in ("sum", "stock", "entered")
            and value is not None
            and value != value.to_integral_value()
            and indicator.decimals == 0
        ):
            errors.append(("value", _("该指标应为整数")))
        shown = value
    if not errors and shown is not None:
        low, high = indicator.usual_min, indicator.usual_max
        if (low is not None and shown < low) or (high is not None and shown > high):
            warnings.append(
                (
                    "value",
                    _("数值%(value)s远超常见范围（%(low)s—%(high)s），请核实")
                    % {
                        "value": _plain(shown.quantize(Decimal("0.1")) if kind == "ratio" else shown),
                        "low": _plain(low) if low is not None else "",
                        "high": _plain(high) if high is not None else "",
                    },
                )
            )
    return errors, warnings


def _plain(number):
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
