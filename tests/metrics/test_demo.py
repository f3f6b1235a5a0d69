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
