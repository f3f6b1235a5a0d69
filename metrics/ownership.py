"""Who reports which indicator value: the cells a month expects, their owning departments, who may write them."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from metrics.models import Area, Indicator, IndicatorArea, MonthlyValue


@dataclass(frozen=True)
class Reporting:
    """The applicable cells of the active indicators: {(indicator pk, area pk): owner department or None};
    the indicators ({pk: Indicator}) and area names ({pk: name}) they were read with."""

    owners: dict
    indicators: dict
    areas: dict

    def applies(self, indicator, area):
        return (indicator.pk, area.pk) in self.owners

    def owner(self, indicator, area):
        return self.owners.get((indicator.pk, area.pk))

    def may_write(self, user, indicator, area):
        """Holders of metrics.enter_any_indicator_values (管理员) write every applicable cell; staff only the
        cells their department owns."""
        return self.may_write_cell(user, (indicator.pk, area.pk))

    def may_write_cell(self, user, key):
        if key not in self.owners:
            return False
        if user.has_perm("metrics.enter_any_indicator_values"):
            return True
        owner = self.owners[key]
        return owner is not None and owner.pk in user.department_ids

    def owned_by(self, department):
        """The cells of one department (None: the cells without an owner)."""
        wanted = department.pk if department else None
        return {key for key, owner in self.owners.items() if (owner.pk if owner else None) == wanted}

    def due(self, month):
        """The cells whose indicator reports for this month."""
        owners = {k: o for k, o in self.owners.items() if is_due(self.indicators[k[0]], month)}
        return Reporting(owners, self.indicators, self.areas)

    def departments(self):
        """The owning departments, in the order departments are listed (None last: no owner)."""
        found = {owner.pk: owner for owner in self.owners.values() if owner}
        ordered = sorted(found.values(), key=lambda d: (d.sort_order, d.name))
        return ordered + ([None] if any(owner is None for owner in self.owners.values()) else [])


def reporting(indicators=None):
    """Each active indicator is reported for its IndicatorArea rows, or for the city alone when it has none;
    a row's own owner overrides the indicator's."""
    if indicators is None:
        indicators = list(Indicator.objects.active().select_related("owner"))
    areas = list(Area.objects.values_list("pk", "name", "is_city"))
    city = next((pk for pk, _name, is_city in areas if is_city), None)
    rows = {}
    for row in IndicatorArea.objects.filter(indicator__in=indicators).select_related("owner"):
        rows.setdefault(row.indicator_id, []).append(row)
    owners = {}
    for indicator in indicators:
        for row in rows.get(indicator.pk, []):
            owners[(indicator.pk, row.area_id)] = row.owner or indicator.owner
        if indicator.pk not in rows and city:
            owners[(indicator.pk, city)] = indicator.owner
    return Reporting(owners, {i.pk: i for i in indicators}, {pk: name for pk, name, _c in areas})


def is_due(indicator, month):
    """Whether the indicator reports for this month (a quarterly one: March, June, September, December)."""
    return month.month % max(indicator.every_months, 1) == 0


def owner_label(department):
    return department.short_name or department.name if department else _("管理员（未指定报送部门）")


def reporting_deadline(month):
    """The last day a month's values count as on time: the reporting day of the following month."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following.replace(day=settings.TIEJU_INDICATOR_REPORTING_DAY)


def _rate(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def completeness(month, *, reporting_=None):
    """Per owning department, the month's values expected (applicable and due), entered, and entered by the
    reporting deadline: {"deadline", "rows": [...], "total": {...}}. Rates are of the values expected."""
    due = (reporting_ or reporting()).due(month)
    indicators, areas = due.indicators, due.areas
    deadline = reporting_deadline(month)
    entered = {
        (v["indicator_id"], v["area_id"]): timezone.localtime(v["entered_at"]).date()
        for v in MonthlyValue.objects.filter(month=month).values("indicator_id", "area_id", "entered_at")
    }
    rows = []
    for department in due.departments():
        cells = due.owned_by(department)
        filled = [entered[c] for c in cells if c in entered]
        on_time = sum(1 for day in filled if day <= deadline)
        rows.append(
            {
                "department": owner_label(department),
                "department_id": department.pk if department else None,
                "expected": len(cells),
                "entered": len(filled),
                "on_time": on_time,
                "completeness": _rate(len(filled), len(cells)),
                "timeliness": _rate(on_time, len(cells)),
                "missing": [f"{indicators[i].name}（{areas[a]}）" for i, a in sorted(cells - set(entered))],
            }
        )
    expected = sum(r["expected"] for r in rows)
    filled = sum(r["entered"] for r in rows)
    on_time = sum(r["on_time"] for r in rows)
    total = {
        "expected": expected,
        "entered": filled,
        "on_time": on_time,
        "completeness": _rate(filled, expected),
        "timeliness": _rate(on_time, expected),
    }
    return {"deadline": deadline.isoformat(), "rows": rows, "total": total}
