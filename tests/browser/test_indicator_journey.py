"""From a bulletin figure to its source on the indicator page, in Chromium, at 1280 and 390 px wide."""

from datetime import date

import pytest

from metrics.models import Area, Indicator, MonthlyValue
from tests.browser.conftest import PHONE, SCREENSHOTS, axe_violations, screenshot
from tests.metrics.conftest import sample_indicators  # noqa: F401  (fixture)

WIDE = {"width": 1280, "height": 900}

# Illustrative district PM2.5 for 2026 and 2025 (January–June, the city's valid days): 罗湖区 and 龙岗区 tie.
DISTRICTS = {"福田区": (20.5, 26.0), "罗湖区": (19.8, 24.1), "南山区": (18.9, 23.5), "龙岗区": (19.8, 26.9)}


@pytest.fixture
def district_pm25(sample_indicators, admin_user):  # noqa: F811
    pm25 = Indicator.objects.get(code="pm25")
    city = MonthlyValue.objects.filter(indicator=pm25, area__is_city=True)
    for name, (now, before) in DISTRICTS.items():
        area = Area.objects.get(name=name)
        for value in city.filter(month__lte=date(2026, 6, 1)):
            level = now if value.month.year == 2026 else before
            MonthlyValue.objects.create(
                indicator=pm25,
                area=area,
                month=value.month,
                value=level,
                denominator=value.denominator,
                updated_by=admin_user,
            )
    return pm25


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_it_follows_a_bulletin_figure_to_its_source_and_reads_the_indicator_page(
    new_page, live_server, leader, district_pm25, viewport
):
    page = new_page(leader, viewport=viewport)
    page.goto(f"{live_server.url}/bulletin/2026-06/")
    ranking = page.locator('table.ranking[data-ranking="pm25"] tbody tr')
    assert ranking.nth(0).inner_text().split("\t")[:2] == ["第1名", "南山区"]
    assert "并列第2名" in ranking.nth(1).inner_text() and "并列第2名" in ranking.nth(2).inner_text()
    page.locator("#s-rankings").scroll_into_view_if_needed()
    page.locator("#s-rankings").locator("xpath=..").screenshot(
        path=str(SCREENSHOTS / f"bulletin-rankings-{viewport['width']}.png")
    )
    page.locator('table.indicators tr[data-code="pm25"] td.ytd a').first.click()
    page.wait_for_url("**/indicator/pm25/**")
    source = page.locator("#source")
    assert "来源：全市PM2.5平均浓度，2026年1—6月" in source.locator("h2").inner_text()
    assert "= 3819.9 ÷ 181 = 21.1微克/立方米" in source.locator("[data-formula]").inner_text()
    assert source.locator("tbody tr").count() == 6
    page.wait_for_selector('.chart[data-drawn="true"] svg')
    assert page.locator(".chart svg path").count() > 5
    # The year stands as of its latest month (October in the sample), as October's bulletin states it.
    assert "剩余月份PM2.5平均浓度须≤25.1微克/立方米" in page.locator(".target-text").inner_text()
    assert page.locator('table.ranking[data-ranking="pm25"] tbody tr').count() == 4
    screenshot(page, f"indicator-pm25-{viewport['width']}")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
