"""Comparing parsed rows with the database, and writing the difference all or nothing."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.errors import RowError
from imports.reader import read_sheets
from metrics.checks import outlier_warnings, rule_violations, same_month_history
from metrics.importing.parse import VALUE_COLUMNS, default_decimals, find_header, parse_definitions, parse_values
from metrics.models import Area, Indicator, IndicatorArea, Month, MonthlyValue, MonthState, ValueEvent
from metrics.ownership import owner_label, reporting
from metrics.workflow import shown_numbers
from teams.models import Department, DepartmentAlias

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
    note: str = ""  # the 异常值说明 the value will carry


@dataclass
class IndicatorPlan:
    definitions: list = field(default_factory=list)  # [(Indicator, is_new, changed fields)]
    values_sheet: str = ""
    code_column: str = "指标代码"  # the values sheet's headers as written, to name in errors
    area_column: str = "区域"
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    unchanged: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    new_areas: list = field(default_factory=list)  # [(code, area name)] an administrator's file adds

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
    """What importing the file would do for this user (None: the command, which may do everything, by
    default); writes nothing; raises UnreadableFile when it cannot be read at all. Loads what the file is
    compared with and leaves the deciding to the pure steps below, then adds the warnings that need the
    history (outliers) and the month's other values (validation rules)."""
    sheets = read_sheets(data, filename)
    indicators = {i.code: i for i in Indicator.objects.select_related("owner")}
    areas = {a.name: a for a in Area.objects.all()}
    departments = {d.name: d for d in Department.objects.all()}
    departments.update({a.name: a.department for a in DepartmentAlias.objects.select_related("department")})
    plan, records = plan_sheets(
        sheets,
        indicators=indicators,
        areas=areas,
        departments=departments,
        may_define=_may(user, "metrics.change_indicator"),
    )
    months = {r.month for r in records}
    stored = {
        (v.indicator.code, v.area.name, v.month): {**{f: getattr(v, f) for f in FIELDS}, "note": v.note}
        for v in MonthlyValue.objects.filter(month__in=months).select_related("indicator", "area")
    }
    locked = set(Month.objects.filter(month__in=months, state=MonthState.APPROVED).values_list("month", flat=True))
    reporting_ = reporting([i for i in indicators.values() if i.pk])
    plan_values(
        plan,
        records,
        indicators=indicators,
        areas=areas,
        stored=stored,
        locked=locked,
        user=user,
        reporting_=reporting_,
    )
    plan.warnings.extend(_findings(plan, indicators=indicators, areas=areas, stored=stored))
    return plan


def _may(user, permission):
    """None is the command, which may do everything."""
    return user is None or user.has_perm(permission)


def plan_sheets(sheets, *, indicators, areas, departments=None, may_define=True):
    """(IndicatorPlan with the definitions and parse errors, value records) for the workbook's sheets; pure.
    `indicators` {code: Indicator} gains the planned new and changed definitions (unsaved); departments
    {name or alias: Department} resolve a 报送部门 column; only an importer who may_define adds or changes one."""
    departments = departments or {}
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
            if definition.owner:
                owner = departments.get(definition.owner)
                if owner is None:
                    plan.errors.append(
                        RowError(
                            definition.row,
                            definition.owner_column,
                            _("未知部门“%(name)s”") % {"name": definition.owner[:50]},
                        )
                    )
                elif indicator.owner_id != owner.pk:
                    indicator.owner = owner
                    changed.append("owner")
            if is_new and "decimals" not in definition.fields:
                indicator.decimals = default_decimals(indicator.unit, indicator.combination)
            if (is_new or changed) and not may_define:
                plan.errors.append(
                    RowError(
                        definition.row,
                        _("指标代码"),
                        _("只有管理员可以新增或修改指标定义（%(code)s）；请删除“指标说明”工作表后再导入")
                        % {"code": definition.code},
                    )
                )
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
    header = find_header(values_sheet.rows, VALUE_COLUMNS, ("period", "area", "code"))
    plan.code_column, plan.area_column = header.columns["code"][1], header.columns["area"][1]
    records, errors, warnings = parse_values(values_sheet.rows, indicators=indicators, areas=areas)
    plan.errors.extend(errors)
    plan.warnings.extend(warnings)
    return plan, records


def plan_values(plan, records, *, indicators, stored, locked, user=None, areas=None, reporting_=None):
    """Sort the value records into the plan's creates, updates and unchanged, refusing approved months and
    the cells the user may not write (user None: the command); pure. stored: {(code, area name, month):
    {field: value, "note": text}} of the months the records name; locked: approved months; reporting_: who
    reports which cell (metrics.ownership)."""
    for record in _owned(plan, records, indicators=indicators, areas=areas, user=user, reporting_=reporting_):
        after = {f: getattr(record, f) for f in FIELDS}
        stored_value = stored.get((record.code, record.area, record.month))
        before = {f: stored_value[f] for f in FIELDS} if stored_value is not None else None
        note = record.note or (stored_value or {}).get("note", "")
        if (
            before is not None
            and all(_same(before[f], after[f]) for f in FIELDS)
            and note == stored_value.get("note", "")
        ):
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
            record.row,
            record.code,
            indicators[record.code].name,
            record.area,
            f"{record.month:%Y-%m}",
            before,
            after,
            note,
        )
        (plan.updates if before is not None else plan.creates).append(change)
    return plan


def _owned(plan, records, *, indicators, areas, user, reporting_):
    """The records the user may import; a refusal, naming row and column, for each other one. An
    administrator's record for an area the indicator is not yet reported for adds the area to the plan."""
    if reporting_ is None or areas is None:
        return records
    allowed = []
    for record in records:
        indicator, area = indicators[record.code], areas[record.area]
        if indicator.pk and reporting_.applies(indicator, area):
            if user is not None and not reporting_.may_write(user, indicator, area):
                plan.errors.append(
                    RowError(
                        record.row,
                        plan.code_column,
                        _("%(area)s%(indicator)s由%(owner)s填报，你不能导入该行")
                        % {
                            "area": record.area,
                            "indicator": indicator.name,
                            "owner": owner_label(reporting_.owner(indicator, area)),
                        },
                    )
                )
                continue
        elif not _may(user, "metrics.add_indicatorarea"):
            plan.errors.append(
                RowError(
                    record.row,
                    plan.area_column,
                    _("%(indicator)s不适用于%(area)s") % {"indicator": indicator.name, "area": record.area},
                )
            )
            continue
        elif (record.code, record.area) not in plan.new_areas:
            plan.new_areas.append((record.code, record.area))
        allowed.append(record)
    return allowed


def _findings(plan, *, indicators, areas, stored):
    """Warnings for the values as they would stand, by row: outliers (with or without their note) and
    broken validation rules."""
    found = []
    changes = plan.creates + plan.updates
    for text in sorted({c.month for c in changes}):
        month = date(int(text[:4]), int(text[5:]), 1)
        numbers = {
            (indicators[code].pk, areas[area].pk): {f: value[f] for f in FIELDS}
            for (code, area, m), value in stored.items()
            if m == month and indicators[code].pk
        }
        rows = {}
        for c in changes:
            if c.month == text and indicators[c.code].pk:
                key = (indicators[c.code].pk, areas[c.area].pk)
                numbers[key], rows[key] = c.after, c
        history = same_month_history(month, list(rows))
        for key, c in rows.items():
            for message in outlier_warnings(
                indicators[c.code], month=month, numbers=c.after, earlier=history.get(key, {})
            ):
                if c.note:
                    message = _("%(warning)s（已说明：%(note)s）") % {"warning": message, "note": c.note}
                else:
                    message = _("%(warning)s——提交前须填写异常值说明（“说明”列）") % {"warning": message}
                found.append(RowError(c.row, _("数值"), message))
        for violation in rule_violations(numbers):
            touched = [rows[cell] for cell in sorted(violation.cells) if cell in rows]
            if touched:
                found.append(RowError(touched[0].row, plan.code_column, violation.message()))
    return found


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
        _add_areas(plan.new_areas, indicators, areas)

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
                    entered_at=now,
                    note=c.note,
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
                    row.note = change.note
                    row.updated_at, row.updated_by = now, user
                    changed.append(row)
            MonthlyValue.objects.bulk_update(changed, [*FIELDS, "note", "updated_at", "updated_by"])
        ValueEvent.objects.bulk_create(
            ValueEvent(
                indicator=indicators[c.code],
                area=areas[c.area],
                month=month_of(c.month),
                action=ValueEvent.Action.CHANGE if c.before else ValueEvent.Action.ENTER,
                user=user,
                created_at=now,
                via="import",
                shown=shown_numbers(c.after)[:60],
            )
            for c in plan.creates + plan.updates
            if c.before is None or any(not _same(c.before[f], c.after[f]) for f in FIELDS)
        )
        counts = plan.counts()
        record.counts = {k: counts[k] for k in ("created", "updated", "unchanged", "retired")}
        record.details = {k: counts[k] for k in ("indicators_created", "indicators_updated", "months")}
        record.errors, record.applied_at = [], now
        record.user = user or record.user
        record.save()
    return counts


def _add_areas(new_areas, indicators, areas):
    """The areas an administrator's file reports indicators for; an indicator reported for the city alone
    until now (no rows) keeps the city beside them."""
    city = next((a for a in areas.values() if a.is_city), None)
    had_rows = set(IndicatorArea.objects.values_list("indicator_id", flat=True).distinct())
    wanted = set()
    for code, area in new_areas:
        indicator = indicators[code]
        wanted.add((indicator.pk, areas[area].pk))
        if indicator.pk in had_rows or city is None:
            continue
        if MonthlyValue.objects.filter(indicator=indicator, area=city).exists() or any(
            c == code and a == city.name for c, a in new_areas
        ):
            wanted.add((indicator.pk, city.pk))
    for indicator_pk, area_pk in sorted(wanted):
        IndicatorArea.objects.get_or_create(indicator_id=indicator_pk, area_id=area_pk)
