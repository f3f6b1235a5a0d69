"""A staff member turns the calendar feed on in the browser, copies the address, and a calendar reads it."""

from datetime import date

import pytest
from icalendar import Calendar

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot
from tests.factories import make_breakdown, make_requirement


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_turns_the_feed_on_and_the_address_serves_the_deadlines(new_page, live_server, water_staff, viewport):
    make_breakdown(starts_on=date(2026, 1, 1))
    make_requirement(
        number=3, text="消除黑臭水体", responsible=list(water_staff.departments.all()), due_date=date(2026, 12, 31)
    )
    page = new_page(water_staff, viewport=viewport)
    page.goto(f"{live_server.url}/")
    if viewport is PHONE and not page.locator(".site-nav a", has_text="日历订阅").is_visible():
        page.goto(f"{live_server.url}/calendar/")
    else:
        page.click(".site-nav a:has-text('日历订阅')")
    assert "日历订阅未开启" in page.locator("main").inner_text()
    page.click("button:has-text('开启日历订阅')")
    page.wait_for_load_state()
    address = page.input_value("#feed-url")
    assert address.startswith(f"{live_server.url}/calendar/feed/") and address.endswith(".ics")
    name = "phone" if viewport is PHONE else "desktop"
    screenshot(page, f"calendar-on-{name}")
    assert axe_violations(page) == []
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    feed = page.context.request.get(address)
    assert feed.status == 200
    [event] = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "【完成时限】3. 消除黑臭水体" and event.decoded("DTSTART") == date(2026, 12, 31)

    page.click("button:has-text('重新生成地址')")
    page.wait_for_load_state()
    assert page.input_value("#feed-url") != address
    assert page.context.request.get(address).status == 404
