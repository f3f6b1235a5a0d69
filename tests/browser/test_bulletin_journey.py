from pypdf import PdfReader

from tests.browser.conftest import PHONE, SCREENSHOTS, axe_violations, screenshot
from tests.metrics.conftest import sample_indicators  # noqa: F401  (fixture)


def test_it_shows_a_leader_the_bulletin_with_charts_and_prints_without_navigation(
    new_page,
    live_server,
    leader,
    sample_table,
    sample_indicators,  # noqa: F811
):
    page = new_page(leader)
    page.goto(f"{live_server.url}/bulletin/2026-05/")
    page.fill("#month-picker", "2026-06")
    page.click(".month-picker button[type=submit]")
    page.wait_for_url("**/bulletin/2026-06/")
    assert page.locator("h1").inner_text() == "打造生态环境保护铁军工作通报（2026年6月）"
    assert "比去年同期（25.7微克/立方米）下降4.6微克/立方米" in page.locator(".narrative").all_inner_texts()[1]

    page.wait_for_selector('.chart[data-drawn="true"] svg')
    charts = page.locator(".chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        assert charts.nth(index).locator("svg path").count() > 5  # bars and lines actually drawn
    assert _drawn(page) == _tabled(page)  # each chart was given exactly the figures its data table shows
    table = page.locator('table[data-chart-table="pm25"] tbody tr').first
    cells = table.locator("td").all_inner_texts()
    assert cells == ["29.4", "26.1", "24.0", "19.5", "14.7", "13.1"] + ["—"] * 6  # the monthly figures of 2026
    pm25_row = page.locator('table.indicators tr[data-code="pm25"]')
    assert "21.1" in pm25_row.inner_text() and "25.7" in pm25_row.inner_text()
    screenshot(page, "bulletin-desktop")
    assert axe_violations(page) == []

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".bulletin-tools").is_visible()
    assert page.locator("article.bulletin h1").is_visible()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # as printing does: charts redrawn to fit
    page.wait_for_timeout(300)
    for width, fits in page.evaluate(
        """() => Array.from(document.querySelectorAll(".chart")).map(node => {
            const svg = node.querySelector("svg");
            return [svg.getBoundingClientRect().width, svg.getBoundingClientRect().width <= node.clientWidth + 1];
        })"""
    ):
        assert fits, width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "bulletin-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = PdfReader(pdf).pages
    assert len(pages) > 1
    for number, printed in enumerate(pages, start=1):  # the page number of bulletin.css's @page, on every page
        assert f"— {number} —" in printed.extract_text() or f"—{number}—" in printed.extract_text()
    screenshot(page, "bulletin-print")


def test_it_fits_the_bulletin_on_a_phone(new_page, live_server, leader, sample_table, sample_indicators):  # noqa: F811
    page = new_page(leader, viewport=PHONE)
    page.goto(f"{live_server.url}/bulletin/2026-06/")
    page.wait_for_selector('.chart[data-drawn="true"] svg')
    screenshot(page, "bulletin-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_it_shows_staff_an_accessible_entry_grid(new_page, live_server, water_staff, sample_indicators):  # noqa: F811
    page = new_page(water_staff)
    page.goto(f"{live_server.url}/indicators/2026-10/")
    assert "2026年10月环境指标填报" in page.locator("h1").inner_text()
    screenshot(page, "entry-desktop")
    assert axe_violations(page) == []


def _drawn(page):
    """{chart code: (months, [(series name, values)])} as ECharts holds them for each drawn chart."""
    charts = page.evaluate("""() => Array.from(document.querySelectorAll(".chart")).map(node => {
        const option = echarts.getInstanceByDom(node).getOption();
        return [node.id.replace("chart-", ""), option.xAxis[0].data,
                option.series.map(s => [s.name, s.data.map(v => (v === undefined ? null : v))])];
    })""")
    return {code: (months, [(name, values) for name, values in series]) for code, months, series in charts}


def _tabled(page):
    """The same, read from each chart's data table as a reader sees it ("—" for no value)."""
    tables = {}
    for table in page.locator("table.chart-data").all():
        months = table.locator("thead th").all_inner_texts()[1:]
        series = []
        for row in table.locator("tbody tr").all():
            values = [None if v == "—" else float(v) for v in row.locator("td").all_inner_texts()]
            series.append((row.locator("th").inner_text(), values))
        tables[table.get_attribute("data-chart-table")] = (months, series)
    return tables
