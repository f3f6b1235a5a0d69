"""Demo indicators and monthly data for `load_demo`, from fixtures/monthly-indicators.xlsx. Idempotent."""

from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from imports.records import import_record_create
from metrics.importing.apply import KIND, indicators_import, plan_import
from metrics.models import (
    Area,
    Indicator,
    IndicatorArea,
    Month,
    MonthEvent,
    MonthlyValue,
    MonthState,
    MonthSubmission,
    Operator,
    ValidationRule,
)
from metrics.ownership import reporting, reporting_deadline
from metrics.workflow import owning_departments
from teams.models import Department

SAMPLE = settings.BASE_DIR / "fixtures" / "monthly-indicators.xlsx"

# What the definitions sheet does not say: charts, reporting cycle, usual ranges for warnings, and illustrative
# targets for 2026 (the report states none) so that the bulletin shows what remains of them.
EXTRAS = {
    "pm25": {"is_headline": True, "usual_min": 5, "usual_max": 75, "target": 20, "target_year": 2026},
    "good_air_days": {"is_headline": True, "target": 96, "target_year": 2026, "denominator_unit": "天"},
    "sections_compliant": {"is_headline": True},
    "complaints_total": {"is_headline": True, "usual_min": 200, "usual_max": 3000},
    "lab_pass_rate": {"every_months": 3},
    "penalty_cases": {"usual_min": 50, "usual_max": 800},
}

# The department reporting each indicator: the monitoring station measures air, water and its own lab, the
# enforcement detachment counts cases and fines, the petition office its call-backs, the water and air offices
# their remediation counts and the published rank.
OWNERS = {
    "pm25": "深圳市环境监测中心站",
    "good_air_days": "深圳市环境监测中心站",
    "sections_compliant": "深圳市环境监测中心站",
    "lab_pass_rate": "深圳市环境监测中心站",
    "air_rank_168": "大气环境处",
    "voc_enterprises_done": "大气环境处",
    "black_odorous_eliminated": "水生态环境处",
    "small_black_odorous_done": "水生态环境处",
    "complaints_total": "信访办",
    "noise_complaints": "信访办",
    "petition_satisfaction": "信访办",
    "penalty_cases": "生态环境综合执法支队",
    "penalty_amount": "生态环境综合执法支队",
}
# Complaints are counted per district; 福田区's by its own district office.
AREA_OWNERS = {
    ("complaints_total", "福田区"): "福田管理局",
    ("noise_complaints", "福田区"): "福田管理局",
}
RULES = [
    ("good_air_days", "numerator", Operator.LE, "pm25", "denominator", "全市", "优良天数不能超过PM2.5有效监测天数"),
    (
        "pm25",
        "denominator",
        Operator.EQ,
        "good_air_days",
        "denominator",
        "全市",
        "PM2.5有效天数应等于优良天数比例的分母",
    ),
    (
        "noise_complaints",
        "value",
        Operator.LE,
        "complaints_total",
        "value",
        "福田区",
        "福田区建筑施工噪声投诉量不能超过福田区环境信访投诉量",
    ),
]


def _owners_and_rules():
    departments = {d.name: d for d in Department.objects.filter(name__in={*OWNERS.values(), *AREA_OWNERS.values()})}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=OWNERS)}
    areas = {a.name: a for a in Area.objects.all()}
    for code, name in OWNERS.items():
        if code in indicators and indicators[code].owner_id is None and name in departments:
            indicators[code].owner = departments[name]
            indicators[code].save(update_fields=["owner"])
    for (code, area), name in AREA_OWNERS.items():
        if code in indicators:
            row, _created = IndicatorArea.objects.get_or_create(indicator=indicators[code], area=areas[area])
            if row.owner_id is None:
                row.owner = departments.get(name)
                row.save(update_fields=["owner"])
    for left, left_field, operator, right, right_field, area, text in RULES:
        if left in indicators and right in indicators and not ValidationRule.objects.filter(text=text).exists():
            ValidationRule.objects.create(
                text=text,
                left_indicator=indicators[left],
                left_field=left_field,
                left_area=areas[area],
                operator=operator,
                right_indicator=indicators[right],
                right_field=right_field,
                right_area=areas[area],
            )


def metrics_demo_load(*, user):
    """Load the 13 indicators and every monthly value; approve every month but the latest. Returns counts."""
    Area.objects.ensure_standard()
    data = SAMPLE.read_bytes()
    plan = plan_import(data, SAMPLE.name, user=user)
    if plan.errors:
        raise ValueError("; ".join(str(e) for e in plan.errors))
    with transaction.atomic():
        record = import_record_create(kind=KIND, data=data, filename=SAMPLE.name, user=user, store_file=False)
        counts = indicators_import(plan, user=user, record=record)
        for code, fields in EXTRAS.items():
            Indicator.objects.filter(code=code).update(**fields)
        _owners_and_rules()
        reporting_ = reporting()
        months = sorted(set(Indicator.objects.values_list("values__month", flat=True)) - {None})
        loaded = "演示数据载入"
        for month in months[:-1]:
            state, created = Month.objects.get_or_create(month=month)
            if created:
                # A demo's past months as the bureau would have them: entered by their reporting day.
                on_time = datetime.combine(reporting_deadline(month), time(9), tzinfo=timezone.get_current_timezone())
                MonthlyValue.objects.filter(month=month).update(entered_at=on_time)
                state.state = MonthState.APPROVED
                state.save()
                # The history of the loaded months, recorded as what it is: one load, not each department's work.
                for department in owning_departments(month, reporting_):
                    MonthSubmission.objects.create(month=state, department=department, user=user)
                    MonthEvent.objects.create(
                        month=state, action=MonthEvent.Action.SUBMIT, user=user, department=department, reason=loaded
                    )
                MonthEvent.objects.create(month=state, action=MonthEvent.Action.APPROVE, user=user, reason=loaded)
        if months:
            Month.objects.get_or_create(month=months[-1])
    return counts
