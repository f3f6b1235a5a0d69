"""Comparing parsed rows with the database, and writing the difference all or nothing."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.errors import RowError
from imports.reader import read_sheets
from metrics.importing.parse import VALUE_COLUMNS, default_decimals, find_header, parse_definitions, parse_values
from metrics.models import Area, Indicator, Month, MonthlyValue, MonthState

KIND = "indicators"
FIELDS = ("value", "numerator", "denominator")


@dataclass
class ValueChange:
    row: int
    code: str
    name: str
    area: str
    month: str
    before: dict | None  # None: created
    after: dict


@dataclass
class IndicatorPlan:
    definitions: list = field(default_factory=list)  # [(Indicator, is_new, changed fields)]
    values_sheet: str = ""
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    unchanged: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors

    def counts(self):
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
            "retired": 0,  # values absent from a file are left as they are, never removed
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "indicators_created": sum(1 for _i, new, _c in self.definitions if new),
            "indicators_updated": sum(1 for _i, new, changed in self.definitions if not new and changed),
            "months": sorted({c.month for c in self.creates + self.updates}),
        }


def _plain(number):
    if number is None:
        return None
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plan_import(data, filename, *, user=None):
    """What importing the file would do for this user; writes nothing; raises UnreadableFile when it cannot
    be read at all. Loads what the file is compared with and leaves the deciding to the pure steps below.
    `user` is who imports: a per-row permission check belongs in plan_values beside the locked-month one."""
    sheets = read_sheets(data, filename)
    indicators = {i.code: i for i in Indicator.objects.all()}
    areas = {a.name: a for a in Area.objects.all()}
    plan, records = plan_sheets(sheets, indicators=indicators, areas=areas)
    months = {r.month for r in records}
    stored = {
        (v.indicator.code, v.area.name, v.month): {f: getattr(v, f) for f in FIELDS}
        for v in MonthlyValue.objects.filter(month__in=months).select_related("indicator", "area")
    }
    locked = set(Month.objects.filter(month__in=months, state=MonthState.APPROVED).values_list("month", flat=True))
    plan_values(plan, records, indicators=indicators, stored=stored, locked=locked, user=user)
    return plan


def plan_sheets(sheets, *, indicators, areas):
    """(IndicatorPlan with the definitions and parse errors, value records) for the workbook's sheets; pure.
    `indicators` {code: Indicator} gains the planned new and changed definitions (unsaved)."""
    plan = IndicatorPlan()
    for sheet in sheets:
        definitions, errors = parse_definitions(sheet.rows)
        if definitions is None:
            continue
        plan.errors.extend(errors)
        for definition in definitions:
            indicator = indicators.get(definition.code)
            is_new = indicator is None
            if is_new:
                indicator = Indicator(code=definition.code, sort_order=definition.row)
            changed = [k for k, v in definition.fields.items() if v is not None and getattr(indicator, k) != v]
            for key in changed:
                setattr(indicator, key, definition.fields[key])
            if is_new and "decimals" not in definition.fields:
                indicator.decimals = default_decimals(indicator.unit, indicator.combination)
            indicators[definition.code] = indicator
            plan.definitions.append((indicator, is_new, changed))
    values_sheet = next(
        (s for s in sheets if find_header(s.rows, VALUE_COLUMNS, ("period", "area", "code")) is not None), None
    )
    if values_sheet is None:
        if not plan.definitions:
            plan.errors.append(
                RowError(0, _("表头"), _("找不到月度数据表：需要包含“期间”“区域”“指标代码”“数值”等列。"))
            )
        return plan, []
    plan.values_sheet = values_sheet.name
    records, errors, warnings = parse_values(values_sheet.rows, indicators=indicators, areas=areas)
    plan.errors.extend(errors)
    plan.warnings.extend(warnings)
    return plan, records


def plan_values(plan, records, *, indicators, stored, locked, user=None):
    """Sort the value records into the plan's creates, updates and unchanged, refusing approved months; pure.
    stored: {(code, area name, month): {field: value}} of the months the records name; locked: approved months."""
    for record in records:
        after = {f: getattr(record, f) for f in FIELDS}
        before = stored.get((record.code, record.area, record.month))
        if before is not None and all(_same(before[f], after[f]) for f in FIELDS):
            plan.unchanged += 1
            continue
        if record.month in locked:
            plan.errors.append(
                RowError(
                    record.row,
                    _("期间"),
                    _("%(year)d年%(month)d月已审核锁定，需管理员退回后才能修改")
                    % {"year": record.month.year, "month": record.month.month},
                )
            )
            continue
        change = ValueChange(
            record.row, record.code, indicators[record.code].name, record.area, f"{record.month:%Y-%m}", before, after
        )
        (plan.updates if before is not None else plan.creates).append(change)
    return plan


def _same(a, b):
    return (a is None and b is None) or (a is not None and b is not None and a == b)


def indicators_import(plan, *, record, user=None):
    """Write the plan in one transaction and mark the ImportRecord of its file applied; refuses a plan with
    errors. The plan's counts."""
    if plan.errors:
        raise ValueError("a plan with errors cannot be applied")
    now = timezone.now()
    with transaction.atomic():
        for indicator, is_new, changed in plan.definitions:
            if is_new or changed:
                indicator.save()
        indicators = {i.code: i for i in Indicator.objects.all()}
        areas = {a.name: a for a in Area.objects.all()}

        def month_of(text):
            year, month = text.split("-")
            return date(int(year), int(month), 1)

        MonthlyValue.objects.bulk_create(
            [
                MonthlyValue(
                    indicator=indicators[c.code],
                    area=areas[c.area],
                    month=month_of(c.month),
                    updated_at=now,
                    updated_by=user,
                    **c.after,
                )
                for c in plan.creates
            ]
        )
        if plan.updates:
            keys = {(c.code, c.area, month_of(c.month)): c for c in plan.updates}
            rows = (
                MonthlyValue.objects.select_for_update()
                .filter(month__in={k[2] for k in keys}, indicator__code__in={k[0] for k in keys})
                .select_related("indicator", "area")
            )
            changed = []
            for row in rows:
                change = keys.get((row.indicator.code, row.area.name, row.month))
                if change:
                    for key, value in change.after.items():
                        setattr(row, key, value)
                    row.updated_at, row.updated_by = now, user
                    changed.append(row)
            MonthlyValue.objects.bulk_update(changed, [*FIELDS, "updated_at", "updated_by"])
        counts = plan.counts()
        record.counts = {k: counts[k] for k in ("created", "updated", "unchanged", "retired")}
        record.details = {k: counts[k] for k in ("indicators_created", "indicators_updated", "months")}
        record.errors, record.applied_at = [], now
        record.user = user or record.user
        record.save()
    return counts
