"""Every main page not walked by a journey: axe-core finds no serious or critical problem, at desktop and at
phone width, the phone page does not scroll sideways, and a screenshot of each is saved for people to look at."""

import pytest
from django.urls import reverse

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot
from tests.browser.test_teams_pages import staffed_team  # noqa: F401  (fixture)
from tests.metrics.conftest import sample_indicators  # noqa: F401  (fixture)


# (name, who, path or a function of the fixtures giving it, text the page's h1 holds)
@pytest.fixture
def token_holder(water_staff):
    """A staff member with one live and one revoked token, so the page shows its table."""
    from api.models import token_create, token_revoke

    token_create(user=water_staff, name="大屏看板")
    token_revoke(token=token_create(user=water_staff, name="省平台对接（已停用）")[0], by=water_staff)
    return water_staff


PAGES = [
    ("login", None, "/accounts/login/", "登录"),
    ("department-list", "leader", reverse("teams:department-list"), "部门"),
    ("official-list", "leader", reverse("teams:official-list"), "主管领导"),
    ("roster-edit", "water_staff", lambda team: reverse("teams:roster-edit", args=[team.pk]), "水污染防治战斗队"),
    ("roster-import", "admin_user", reverse("teams:roster-import"), "名单"),
    ("indicator-entry", "water_staff", "/indicators/2026-10/", "2026年10月"),
    ("indicator-import", "admin_user", reverse("metrics:import"), "导入"),
    ("task-import", "admin_user", reverse("tasks:import"), "导入"),
    ("bulletin", "leader", "/bulletin/2026-10/", "通报"),
    ("scorecard", "leader", "/bulletin/2026-10/scorecard/", "部门计分明细"),
    ("indicator-list", "leader", "/indicator/", "环境指标一览"),
    ("indicator", "leader", "/indicator/good_air_days/?months=1-6", "空气质量优良天数比例"),
    ("api-tokens", "water_staff", reverse("api:tokens"), "接口令牌"),
    ("api-tokens-listed", "token_holder", reverse("api:tokens"), "接口令牌"),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name, who, path, heading", PAGES, ids=[p[0] for p in PAGES])
def test_the_page_is_accessible_and_fits(
    request,
    new_page,
    live_server,
    staffed_team,
    sample_indicators,  # noqa: F811
    name,
    who,
    path,
    heading,
    viewport,
):
    user = request.getfixturevalue(who) if who else None
    page = new_page(user, viewport=viewport)
    response = page.goto(live_server.url + (path(staffed_team) if callable(path) else path))
    assert response.status == 200, name
    assert heading in page.locator("h1").first.inner_text(), name
    screenshot(page, f"page-{name}-{'phone' if viewport is PHONE else 'desktop'}")
    assert axe_violations(page) == [], name
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, name
