"""The month's entry grid (indicators × areas) as a form: parsing, checks per cell, rows to render."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from metrics.validation import check_value

FIELDS = ("value", "numerator", "denominator")


def fields_for(indicator):
    """The inputs a cell needs: (field, label)."""
    if indicator.combination == "ratio":
        return [("numerator", _("分子")), ("denominator", _("分母"))]
    if indicator.combination == "mean_days":
        return [("value", _("数值")), ("denominator", _("有效天数"))]
    return [("value", _("数值"))]


def _plain(number):
    if number is None:
        return ""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _parse(raw):
    raw = (raw or "").strip().replace(",", "")
    if raw == "":
        return None, None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None, _("“%(value)s”不是数字") % {"value": raw[:30]}
    if not number.is_finite():
        return None, _("“%(value)s”不是有效数字") % {"value": raw[:30]}
    return number, None


class MonthGrid:
    """Bound to POST data it checks every cell; unbound it shows the stored values.

    entries — {(indicator, area): {value, numerator, denominator}} once valid (blank cell: all None);
    warnings — [(indicator, area, message)] for values far outside the usual range."""

    def __init__(self, *, month, indicators, areas, existing, data=None):
        self.month, self.indicators, self.areas, self.existing = month, indicators, areas, existing
        self.data = data
        self.raw, self.errors, self.cell_warnings, self.entries = {}, {}, {}, {}

    @staticmethod
    def name(indicator, area, field):
        return f"{indicator.pk}-{area.pk}-{field}"

    def is_valid(self):
        for indicator in self.indicators:
            labels = dict(fields_for(indicator)) | {"value": _("数值")}
            for area in self.areas:
                numbers, errors = dict.fromkeys(FIELDS), []
                for field, label in fields_for(indicator):
                    text = self.data.get(self.name(indicator, area, field), "")
                    self.raw[self.name(indicator, area, field)] = text[:40]
                    numbers[field], error = _parse(text)
                    if error:
                        errors.append(f"{label}：{error}")
                if not errors and any(v is not None for v in numbers.values()):
                    found, warnings = check_value(indicator, month=self.month, **numbers)
                    errors += [f"{labels.get(f, '')}：{m}" for f, m in found]
                    if warnings:
                        self.cell_warnings[(indicator.pk, area.pk)] = [m for _f, m in warnings]
                if errors:
                    self.errors[(indicator.pk, area.pk)] = errors
                self.entries[(indicator, area)] = numbers
        return not self.errors

    @property
    def warnings(self):
        return [
            (indicator, area, message)
            for indicator in self.indicators
            for area in self.areas
            for message in self.cell_warnings.get((indicator.pk, area.pk), [])
        ]

    def rows(self):
        for indicator in self.indicators:
            cells = []
            for area in self.areas:
                current = self.existing.get((indicator.pk, area.pk))
                inputs = []
                for field, label in fields_for(indicator):
                    name = self.name(indicator, area, field)
                    shown = self.raw[name] if name in self.raw else _plain(getattr(current, field)) if current else ""
                    inputs.append({"name": name, "label": label, "value": shown})
                cells.append(
                    {
                        "area": area,
                        "inputs": inputs,
                        "errors": self.errors.get((indicator.pk, area.pk), []),
                        "warnings": self.cell_warnings.get((indicator.pk, area.pk), []),
                    }
                )
            yield {"indicator": indicator, "cells": cells}
