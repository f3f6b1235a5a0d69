"""Demo indicators and monthly data for `load_demo`, from fixtures/monthly-indicators.xlsx. Idempotent."""

from django.conf import settings
from django.db import transaction

from imports.records import import_record_create
from metrics.importing.apply import KIND, indicators_import, plan_import
from metrics.models import Area, Indicator, Month, MonthEvent, MonthState

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
        months = sorted(set(Indicator.objects.values_list("values__month", flat=True)) - {None})
        for month in months[:-1]:
            state, created = Month.objects.get_or_create(month=month)
            if created:
                state.state = MonthState.APPROVED
                state.save()
                MonthEvent.objects.create(month=state, action=MonthEvent.Action.SUBMIT, user=user)
                MonthEvent.objects.create(month=state, action=MonthEvent.Action.APPROVE, user=user)
        if months:
            Month.objects.get_or_create(month=months[-1])
    return counts
