from tests.browser.conftest import PHONE, axe_violations, screenshot


def test_it_logs_in_and_shows_the_dashboard_without_serious_accessibility_problems(
    new_page, live_server, water_staff, sample_table
):
    from tasks.models import Requirement
    from teams.models import Department

    water = Department.objects.get(name="水生态环境处")
    page = new_page(water_staff)
    assert page.url == f"{live_server.url}/?department={water.pk}"  # staff land on their department
    assert page.locator("table.requirements tbody tr.requirement").count() == min(
        25, Requirement.objects.involving(water).count()
    )
    screenshot(page, "dashboard-desktop")
    assert axe_violations(page) == []


def test_it_fits_the_dashboard_on_a_phone(new_page, water_staff, sample_table):
    page = new_page(water_staff, viewport=PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "dashboard-phone")
    assert width <= PHONE["width"] + 1
