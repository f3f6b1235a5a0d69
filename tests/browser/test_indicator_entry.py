"""The indicator grid in a browser: a monitoring station account on a phone, the demo's owners in place."""

from tests.browser.conftest import PHONE, axe_violations, screenshot
from tests.metrics.conftest import sample_indicators, station_staff  # noqa: F401  (fixtures)


def test_it_reads_on_a_phone_with_names_unsqueezed_and_others_cells_read_only(
    new_page,
    live_server,
    station_staff,  # noqa: F811
    sample_indicators,  # noqa: F811
):
    page = new_page(station_staff, viewport=PHONE)
    page.goto(f"{live_server.url}/indicators/2026-10/")
    screenshot(page, "entry-phone")
    name = page.locator("tbody th.indicator-name").first
    box = name.bounding_box()
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('tbody th.indicator-name')).fontSize)")
    assert box["width"] >= 6 * font  # PM2.5平均浓度 on one or two lines, not three characters a line
    pm25_row = page.locator("tbody tr").filter(has=page.locator("th", has_text="PM2.5平均浓度"))
    assert pm25_row.locator("input").count() == 2  # the station's own: value and valid days
    complaints = page.locator("tbody tr").filter(has=page.locator("th", has_text="环境信访投诉量"))
    assert complaints.locator("input").count() == 0
    assert "报送：福田管理局" in complaints.inner_text() and "不适用" in complaints.inner_text()
    not_applicable = page.locator("td.not-applicable")
    assert not_applicable.count() > 0 and not_applicable.locator("input").count() == 0
    # The first column stays in view while the grid scrolls sideways.
    page.locator(".table-container").first.evaluate("node => node.scrollBy(600, 0)")
    assert name.bounding_box()["x"] < 20
    assert axe_violations(page) == []
