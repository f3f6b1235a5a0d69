from datetime import date
from io import StringIO

from django.core.management import call_command

from metrics.models import Indicator, Month, MonthlyValue


def test_it_loads_the_indicators_and_monthly_data_with_the_demo_idempotently(db):
    call_command("load_demo", stdout=StringIO())
    assert Indicator.objects.count() == 13 and MonthlyValue.objects.count() == 229
    assert Month.objects.get(month=date(2026, 6, 1)).state == "approved"
    assert Month.objects.get(month=date(2026, 10, 1)).state == "draft"
    assert Indicator.objects.get(code="pm25").is_headline
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "created 0, unchanged 229" in out.getvalue()
    assert Indicator.objects.count() == 13 and MonthlyValue.objects.count() == 229


def test_it_gives_every_demo_indicator_an_owner_and_the_rules_hold_for_its_data(db):
    from metrics.checks import numbers_of, rule_violations
    from metrics.models import IndicatorArea, ValidationRule
    from metrics.ownership import completeness

    call_command("load_demo", stdout=StringIO())
    owners = dict(Indicator.objects.values_list("code", "owner__name"))
    assert None not in owners.values()
    assert owners["pm25"] == "深圳市环境监测中心站" and owners["penalty_amount"] == "生态环境综合执法支队"
    assert owners["petition_satisfaction"] == "信访办"
    futian = IndicatorArea.objects.get(indicator__code="complaints_total", area__name="福田区")
    assert futian.owner.name == "福田管理局"
    assert ValidationRule.objects.count() == 3
    for month in MonthlyValue.objects.values_list("month", flat=True).distinct():
        values = {(v.indicator_id, v.area_id): numbers_of(v) for v in MonthlyValue.objects.filter(month=month)}
        assert rule_violations(values) == [], month
    june = completeness(date(2026, 6, 1))["total"]
    assert june["completeness"] == 100.0 and june["timeliness"] == 100.0
    assert Month.objects.get(month=date(2026, 6, 1)).submissions.count() == 6
