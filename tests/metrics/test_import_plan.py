"""The indicator import's deciding steps, with no database (pytest-django refuses any query)."""

from datetime import date
from decimal import Decimal

from imports.reader import read_sheets
from metrics.importing.apply import plan_sheets, plan_values
from metrics.models import Area, Combination, Indicator


def _csv(*rows):
    lines = ["期间,区域,指标代码,数值"] + [",".join(str(v) for v in row) for row in rows]
    return read_sheets("\n".join(lines).encode(), "values.csv")


def _plan(sheets, stored, locked=()):
    indicators = {"complaints_total": Indicator(code="complaints_total", name="投诉总量", combination=Combination.SUM)}
    areas = {"福田区": Area(name="福田区")}
    plan, records = plan_sheets(sheets, indicators=indicators, areas=areas)
    return plan_values(plan, records, indicators=indicators, stored=stored, locked=set(locked))


def test_it_sorts_values_into_created_updated_and_unchanged():
    stored = {
        ("complaints_total", "福田区", date(2026, 10, 1)): {
            "value": Decimal(700),
            "numerator": None,
            "denominator": None,
        },
        ("complaints_total", "福田区", date(2026, 9, 1)): {
            "value": Decimal(650),
            "numerator": None,
            "denominator": None,
        },
    }
    plan = _plan(
        _csv(
            ["2026-11", "福田区", "complaints_total", 702],
            ["2026-10", "福田区", "complaints_total", 701],
            ["2026-09", "福田区", "complaints_total", 650],
        ),
        stored,
    )
    assert (len(plan.creates), len(plan.updates), plan.unchanged, plan.errors) == (1, 1, 1, [])
    assert plan.updates[0].before["value"] == 700 and plan.updates[0].after["value"] == 701


def test_it_refuses_a_change_to_an_approved_month_by_row():
    plan = _plan(_csv(["2026-06", "福田区", "complaints_total", 5]), {}, locked=[date(2026, 6, 1)])
    assert [str(e) for e in plan.errors] == ["第2行「期间」：2026年6月已审核锁定，需管理员退回后才能修改"]
