"""The month's entry grid (indicators × areas) as a form: parsing, checks per cell, rows to render."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from metrics.ownership import owner_label
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


NOTE_LIMIT = 500


class MonthGrid:
    """Bound to POST data it checks every cell the user may write; unbound it shows the stored values.

    entries — {(indicator, area): {value, numerator, denominator}} once valid (blank cell: all None);
    notes — {(indicator, area): 异常值说明} for the writable cells whose note input was posted;
    foreign — the posted cells the user may not write (the view refuses the whole post);
    findings — {(indicator pk, area pk): [message]}: outliers and broken rules, shown at the cell."""

    def __init__(self, *, month, indicators, areas, existing, reporting, user, data=None, findings=None):
        self.month, self.indicators, self.areas, self.existing = month, indicators, areas, existing
        self.reporting, self.user, self.data = reporting, user, data
        self.findings = findings or {}
        self.raw, self.errors, self.cell_warnings, self.entries, self.notes = {}, {}, {}, {}, {}
        self.foreign = []

    @staticmethod
    def name(indicator, area, field):
        return f"{indicator.pk}-{area.pk}-{field}"

    def writable(self, indicator, area):
        return self.reporting.may_write(self.user, indicator, area)

    def is_valid(self):
        for indicator in self.indicators:
            labels = dict(fields_for(indicator)) | {"value": _("数值")}
            for area in self.areas:
                names = [self.name(indicator, area, f) for f in (*FIELDS, "note")]
                if not self.writable(indicator, area):
                    if any(n in self.data for n in names):
                        self.foreign.append((indicator, area))
                    continue
                numbers, errors = dict.fromkeys(FIELDS), []
                for field, label in fields_for(indicator):
                    text = self.data.get(self.name(indicator, area, field), "")
                    self.raw[self.name(indicator, area, field)] = text[:40]
                    numbers[field], error = _parse(text)
                    if error:
                        errors.append(f"{label}：{error}")
                note_name = self.name(indicator, area, "note")
                if note_name in self.data:
                    self.notes[(indicator, area)] = self.data[note_name][:NOTE_LIMIT]
                    self.raw[note_name] = self.data[note_name][:NOTE_LIMIT]
                if not errors and any(v is not None for v in numbers.values()):
                    found, _warnings = check_value(indicator, month=self.month, **numbers)
                    errors += [f"{labels.get(f, '')}：{m}" for f, m in found]
                if errors:
                    self.errors[(indicator.pk, area.pk)] = errors
                self.entries[(indicator, area)] = numbers
        return not self.errors and not self.foreign

    def rows(self):
        for indicator in self.indicators:
            cells = []
            for area in self.areas:
                key = (indicator.pk, area.pk)
                if not self.reporting.applies(indicator, area):
                    cells.append({"area": area, "applies": False})
                    continue
                current = self.existing.get(key)
                writable = self.writable(indicator, area)
                inputs = []
                for field, label in fields_for(indicator):
                    name = self.name(indicator, area, field)
                    shown = self.raw[name] if name in self.raw else _plain(getattr(current, field)) if current else ""
                    inputs.append({"name": name, "label": label, "value": shown})
                note_name = self.name(indicator, area, "note")
                findings = self.findings.get(key, [])
                cells.append(
                    {
                        "area": area,
                        "applies": True,
                        "writable": writable,
                        "owner": owner_label(self.reporting.owner(indicator, area)),
                        "inputs": inputs,
                        "errors": self.errors.get(key, []),
                        "findings": findings,
                        "note": {
                            "name": note_name,
                            "value": self.raw.get(note_name, current.note if current else ""),
                            "shown": bool(findings) or bool(current and current.note),
                        },
                        "value": current,
                    }
                )
            yield {"indicator": indicator, "cells": cells}
