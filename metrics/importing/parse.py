"""From numbered rows to validated indicator definitions and monthly values, with row-and-column errors."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from imports.errors import RowError
from imports.reader import Formula
from imports.reader import find_header as find_table_header
from metrics.models import Combination, Direction
from metrics.validation import check_value

VALUE_COLUMNS = {
    "period": ["期间", "月份", "月度", "统计月份"],
    "area": ["区域", "地区", "行政区"],
    "code": ["指标代码", "代码", "指标"],
    "value": ["数值", "值"],
    "numerator": ["分子"],
    "denominator": ["分母", "有效天数"],
    "note": ["说明", "异常值说明", "备注"],
}
DEFINITION_COLUMNS = {
    "code": ["指标代码", "代码"],
    "name": ["指标名称", "名称"],
    "unit": ["单位"],
    "direction": ["改善方向", "方向"],
    "combination": ["汇总方式"],
    "description": ["说明"],
    "decimals": ["小数位数"],
    "target": ["目标值"],
    "target_year": ["目标年度"],
    "owner": ["报送部门", "填报部门"],
}
COMBINATIONS = {
    "mean weighted by valid days": Combination.MEAN_DAYS,
    "mean_days": Combination.MEAN_DAYS,
    "按有效天数加权平均": Combination.MEAN_DAYS,
    "加权平均": Combination.MEAN_DAYS,
    "ratio": Combination.RATIO,
    "比例": Combination.RATIO,
    "sum": Combination.SUM,
    "累加": Combination.SUM,
    "合计": Combination.SUM,
    "latest": Combination.STOCK,
    "stock": Combination.STOCK,
    "存量": Combination.STOCK,
    "最新值": Combination.STOCK,
    "entered": Combination.ENTERED,
    "填报值": Combination.ENTERED,
}
DIRECTIONS = {
    "lower": Direction.LOWER,
    "越低越好": Direction.LOWER,
    "higher": Direction.HIGHER,
    "越高越好": Direction.HIGHER,
    "context": Direction.NEITHER,
    "neither": Direction.NEITHER,
    "不评价": Direction.NEITHER,
    "": Direction.NEITHER,
}
# Units whose figures are printed with one decimal place; counts are whole numbers.
ONE_DECIMAL_UNITS = {"%", "微克/立方米", "毫克/立方米", "万元", "亿元"}
_TARGET_IN_NOTE = re.compile(r"target\s*([0-9]+(?:\.[0-9]+)?)|目标\s*[:：]?\s*([0-9]+(?:\.[0-9]+)?)", re.I)
_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?\s*$")


def _clean(value):
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value).replace("\u3000", " ")).strip()


def find_header(rows, columns, required):
    """The imports.reader Header of the first of the first 20 rows that names every required column."""
    return find_table_header(rows, columns, accept=set(required).issubset, search_rows=20)


@dataclass
class Definition:
    row: int
    code: str
    fields: dict
    owner: str | None = None  # the 报送部门 as written (None: the sheet has no such column)
    owner_column: str = ""


@dataclass
class ValueRecord:
    row: int
    month: date
    area: str
    code: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str = ""


def parse_definitions(rows):
    header = find_header(rows, DEFINITION_COLUMNS, ("code", "name", "combination"))
    if header is None:
        return None, []
    columns, definitions, errors = header.columns, [], []
    for number, values in rows[header.data_start :]:
        cells = {key: values[pos] if pos < len(values) else None for key, (pos, _h) in columns.items()}
        if all(_clean(v) == "" for v in cells.values()):
            continue

        def error(key, message, number=number):
            errors.append(RowError(number, columns[key][1], message))

        code = _clean(cells["code"])
        if not re.fullmatch(r"[A-Za-z0-9_\-]{1,50}", code):
            error("code", _("指标代码“%(code)s”只能由字母、数字、下划线组成") % {"code": code})
            continue
        fields = {"name": _clean(cells["name"])}
        if not fields["name"]:
            error("name", _("指标名称为空"))
        combination = COMBINATIONS.get(_clean(cells["combination"]).lower())
        if combination is None:
            error("combination", _("无法识别的汇总方式“%(value)s”") % {"value": _clean(cells["combination"])})
        fields["combination"] = combination
        if "unit" in columns:
            fields["unit"] = _clean(cells["unit"])
        if "direction" in columns:
            direction = DIRECTIONS.get(_clean(cells["direction"]).lower())
            if direction is None:
                error("direction", _("无法识别的改善方向“%(value)s”") % {"value": _clean(cells["direction"])})
            fields["direction"] = direction
        if "description" in columns:
            fields["description"] = _clean(cells["description"])
            match = _TARGET_IN_NOTE.search(fields["description"])
            if match and "target" not in columns:
                fields["target"] = Decimal(match.group(1) or match.group(2))
        if "target" in columns and _clean(cells["target"]):
            fields["target"] = _number(cells["target"], lambda m: error("target", m))
        if "target_year" in columns and _clean(cells["target_year"]):
            year = _number(cells["target_year"], lambda m: error("target_year", m))
            fields["target_year"] = int(year) if year is not None else None
        if "decimals" in columns and _clean(cells["decimals"]):
            decimals = _number(cells["decimals"], lambda m: error("decimals", m))
            fields["decimals"] = int(decimals) if decimals is not None else 1
        owner = _clean(cells["owner"]) if "owner" in columns else None
        definitions.append(Definition(number, code, fields, owner, columns["owner"][1] if "owner" in columns else ""))
    return definitions, errors


def default_decimals(unit, combination):
    return 1 if combination == Combination.RATIO or unit in ONE_DECIMAL_UNITS else 0


def _number(raw, error):
    if raw is None or _clean(raw) == "":
        return None
    if isinstance(raw, bool):
        error(_("应为数字"))
        return None
    if isinstance(raw, (int, float, Decimal)):
        return Decimal(str(raw))
    text = _clean(raw).replace(",", "").replace("，", "")
    if isinstance(raw, Formula):
        error(_("此处应为数值，不能是公式“%(formula)s”") % {"formula": text[:50]})
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        error(_("“%(value)s”不是数字") % {"value": text[:50]})
        return None
    if not number.is_finite():
        error(_("“%(value)s”不是数字") % {"value": text[:50]})
        return None
    return number


def parse_period(raw):
    if isinstance(raw, datetime):
        return date(raw.year, raw.month, 1)
    if isinstance(raw, date):
        return raw.replace(day=1)
    match = _PERIOD.match(_clean(raw))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return date(year, month, 1)


def parse_values(rows, *, indicators, areas):
    """(records, errors, warnings). indicators: {code: Indicator (saved or planned)}; areas: {name: Area}."""
    header = find_header(rows, VALUE_COLUMNS, ("period", "area", "code"))
    if header is None:
        return [], [RowError(0, _("表头"), _("找不到表头：需要包含“期间”“区域”“指标代码”“数值”等列。"))], []
    columns = header.columns
    if not any(key in columns for key in ("value", "numerator", "denominator")):
        return [], [RowError(rows[header.row][0], _("表头"), _("缺少列：数值、分子、分母"))], []
    records, errors, warnings, seen = [], [], [], {}
    by_name = {i.name: i for i in indicators.values()}
    for number, values in rows[header.data_start :]:
        cells = {key: values[pos] if pos < len(values) else None for key, (pos, _h) in columns.items()}
        if all(_clean(v) == "" for v in cells.values()):
            continue
        if all(_clean(cells.get(k)) == "" for k in ("value", "numerator", "denominator", "note")):
            continue  # a row of the template left blank: nothing to import (absent values are left as they are)
        row_errors = []

        def error(key, message, row_errors=row_errors, number=number):
            row_errors.append(RowError(number, columns[key][1] if key in columns else key, message))

        month = parse_period(cells["period"])
        if month is None:
            error("period", _("无法识别的月份“%(value)s”，应写作2026-06") % {"value": _clean(cells["period"])[:30]})
        area = _clean(cells["area"])
        if area not in areas:
            error("area", _("未知区域“%(value)s”") % {"value": area[:30]})
        code = _clean(cells["code"])
        indicator = indicators.get(code) or by_name.get(code)
        if indicator is None:
            error("code", _("未知指标代码“%(value)s”") % {"value": code[:50]})
        numbers = {}
        for key in ("value", "numerator", "denominator"):
            numbers[key] = _number(cells.get(key), lambda m, key=key: error(key, m)) if key in columns else None
        if not row_errors and all(v is None for v in numbers.values()):
            error("value" if "value" in columns else "numerator", _("只有说明，未填写数值"))
        if not row_errors:
            # Warnings (outliers, broken rules) need the database's history: the plan adds them.
            problems, _cautions = check_value(indicator, month=month, **numbers)
            for key, message in problems:
                error(key, message)
        if not row_errors:
            identity = (indicator.code, area, month)
            if identity in seen:
                error("code", _("与第%(other)d行重复（同一指标、区域、月份）") % {"other": seen[identity]})
            seen.setdefault(identity, number)
        if row_errors:
            errors.extend(row_errors)
            continue
        note = _clean(cells.get("note"))[:500] if "note" in columns else ""
        records.append(ValueRecord(number, month, area, indicator.code, **numbers, note=note))
    return records, errors, warnings
