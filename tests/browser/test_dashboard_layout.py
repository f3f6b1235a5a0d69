"""The dashboard and the team, department and official pages read at a glance on a laptop and a phone, in Chinese and in English: at 1280 and 1440 px
nothing scrolls sideways and no cell breaks a date, a status or a short name in the middle ("推进/中",
"2026-12-/02", "系统管理/员"); at 390 px each row is a card whose dates carry their labels. Screenshots of
each width and language are saved for people to look at."""

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_teams_pages import _pages, staffed_team  # noqa: F401  (fixture)

WIDTHS = {
    "1280": {"width": 1280, "height": 900},
    "1440": {"width": 1440, "height": 900},
    "390": {"width": 390, "height": 844},
}
LOCALES = {"zh": "zh-CN", "en": "en-US"}

# Text nodes of the tables' cells that must sit on one line: dates and times, and any text without a space of
# up to `longest` characters: 12 on a laptop (statuses, names, deadlines such as 2026年2月28日, light words),
# 4 on a phone (names such as 王水清). Longer text may wrap, and English may wrap between words.
BROKEN = r"""(longest) => {
  const broken = [];
  for (const body of document.querySelectorAll("main table tbody")) {
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const datetime = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/.test(text);
    if (!text || !node.parentElement.closest("td") || !(datetime || (text.length <= longest && !/\s/.test(text)))) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (lines.size > 1) broken.push(text);
  }
  }
  return broken;
}"""


@pytest.mark.parametrize("language", LOCALES, ids=list(LOCALES))
@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_dashboard_reads_at_a_glance(new_page, live_server, leader, water_staff, sample_table, width, language):
    # A report by a long-named account fills the last-update column as it is filled in use.
    from django.utils import timezone

    from tasks.models import Requirement
    from teams.models import User

    admin = User.objects.create(username="sysadmin-long", display_name="系统管理员")
    Requirement.objects.filter(number__in=[3, 40]).update(
        status="in_progress", progress=30, updated_at=timezone.now(), updated_by=admin
    )
    page = new_page(water_staff, viewport=WIDTHS[width], locale=LOCALES[language])
    rows = page.locator("table.requirements tbody tr.requirement")
    assert rows.count() > 0
    assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-hans")
    screenshot(page, f"dashboard-{width}-{language}")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"] + 1
    # Nor does the table scroll inside its box: the light and last-update columns are on screen.
    assert (
        page.evaluate(
            "(() => { const box = document.querySelector('.table-container');"
            " return box.scrollWidth - box.clientWidth; })()"
        )
        <= 1
    )
    if width == "390":
        # A card: the deadline, next due date and department are labelled, not two dates side by side.
        labels = page.locator("table.requirements tr.requirement").first.evaluate(
            "row => [...row.querySelectorAll('td[data-label]')].map(td => getComputedStyle(td, '::before').content)"
        )
        assert len(labels) == 3 and all(label not in ("none", "normal", '""') for label in labels), labels
    else:
        assert page.evaluate(BROKEN, 12) == []
        assert axe_violations(page) == []


@pytest.mark.parametrize("language", LOCALES, ids=list(LOCALES))
@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_team_department_and_official_pages_read_at_a_glance(
    new_page,
    live_server,
    leader,
    staffed_team,  # noqa: F811
    width,
    language,
):
    page = new_page(leader, viewport=WIDTHS[width], locale=LOCALES[language])
    for name, path, _heading in _pages(staffed_team):
        page.goto(live_server.url + path)
        screenshot(page, f"{name}-{width}-{language}")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"] + 1, name
        assert (
            page.evaluate(
                "Math.max(0, ...[...document.querySelectorAll('.table-container')]"
                ".map(box => box.scrollWidth - box.clientWidth))"
            )
            <= 1
        ), name  # nor inside a table's box
        # Names such as 何清源, dates and statuses stay whole at every width, a phone included.
        assert page.evaluate(BROKEN, 4 if width == "390" else 12) == [], name


@pytest.mark.parametrize("language", LOCALES, ids=list(LOCALES))
@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_a_requirements_page_reads_at_a_glance(new_page, live_server, water_staff, sample_table, width, language):
    from tasks.models import Requirement

    overdue = Requirement.objects.get(number=40)  # 2026年2月28日: overdue, so the page says by how many days
    page = new_page(water_staff, viewport=WIDTHS[width], locale=LOCALES[language])
    page.goto(f"{live_server.url}/requirements/{overdue.pk}/")
    assert page.locator(".overdue-days").count() == 1
    screenshot(page, f"requirement-{width}-{language}")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"] + 1
