"""Completeness and timeliness of a month's values per owning department (数据报送完整率/及时率)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from metrics.models import Area, IndicatorArea
from metrics.ownership import completeness
from tests.metrics.conftest import department, make_indicator, put

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = date(2026, 10, 1)


def entered(value, day, hour=12):
    value.entered_at = datetime(2026, 11, day, hour, tzinfo=SHANGHAI)
    value.save()


@pytest.fixture
def month(reference, settings):
    """October 2026 with the reporting day the 5th: the station owes 2 city values (one on time, one on
    the 6th: late); 福田管理局 owes 福田区 complaints (missing); the quarterly lab rate is not due in October."""
    settings.TIEJU_INDICATOR_REPORTING_DAY = 5
    settings.TIME_ZONE = "Asia/Shanghai"
    city, futian = Area.objects.get(is_city=True), Area.objects.get(name="福田区")
    station = department("深圳市环境监测中心站")
    pm25 = make_indicator("pm25", name="PM2.5平均浓度", owner=station)
    good = make_indicator("good", name="优良天数比例", combination="ratio", owner=station)
    make_indicator("lab", name="实验室能力验证合格率", combination="ratio", owner=station, every_months=3)
    complaints = make_indicator("complaints", name="环境信访投诉量", combination="sum", owner=department("信访办"))
    IndicatorArea.objects.create(indicator=complaints, area=futian, owner=department("福田管理局"))
    entered(put(pm25, city, 2026, 10, 21, denominator=31), 5, 23)  # the last hour of the 5th: on time
    entered(put(good, city, 2026, 10, numerator=30, denominator=31), 6, 0)  # the 6th: late
    return OCTOBER


def test_it_counts_expected_entered_and_on_time_per_department(month):
    facts = completeness(month)
    assert facts["deadline"] == "2026-11-05"
    rows = {r["department"]: r for r in facts["rows"]}
    assert set(rows) == {"深圳市环境监测中心站", "福田管理局"}
    station, futian = rows["深圳市环境监测中心站"], rows["福田管理局"]
    assert (station["expected"], station["entered"], station["on_time"]) == (2, 2, 1)
    assert (station["completeness"], station["timeliness"]) == (100.0, 50.0)
    assert (futian["expected"], futian["entered"], futian["on_time"], futian["completeness"]) == (1, 0, 0, 0.0)
    assert futian["missing"] == ["环境信访投诉量（福田区）"]
    assert facts["total"] == {"expected": 3, "entered": 2, "on_time": 1, "completeness": 66.7, "timeliness": 33.3}


def test_it_shows_the_figures_on_the_overview_the_entry_page_and_the_bulletin(client, leader, month):
    client.force_login(leader)
    page = client.get(reverse("metrics:reporting", args=["2026", "10"])).content.decode()
    assert "2026年10月数据报送情况" in page and "环境信访投诉量（福田区）" in page
    assert "<td>100.0%</td><td>50.0%</td>" in page
    page = client.get(reverse("metrics:entry", args=["2026", "10"])).content.decode()
    assert "应报3项，已报2项：数据报送完整率66.7%，及时率33.3%（按时：2026-11-05（含）前报送）" in page
    page = client.get(reverse("metrics:bulletin", args=["2026", "10"]) + "?draft=1").content.decode()
    assert "本月应报指标数据3项，已报2项：数据报送完整率66.7%，及时率33.3%。" in page


def test_it_prints_the_line_in_the_bulletin_document(client, leader, month):
    import zipfile
    from io import BytesIO

    client.force_login(leader)
    response = client.get(reverse("metrics:bulletin-docx", args=["2026", "10"]))
    assert response.status_code == 200
    xml = zipfile.ZipFile(BytesIO(response.content)).read("word/document.xml").decode()
    assert "本月应报指标数据3项，已报2项：数据报送完整率66.7%，及时率33.3%。" in xml


def test_a_month_with_nothing_owed_shows_dashes_not_percentages(client, leader, reference):
    client.force_login(leader)
    page = client.get(reverse("metrics:reporting", args=["2026", "10"])).content.decode()
    assert "本月没有应报送的指标。" in page
    footer = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert footer.count("<td>—</td>") == 2 and "%" not in footer
