"""Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Without Chromium the browser tests skip with a message saying how to enable them;
with REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails the run instead.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# live_server runs the app in a thread while Playwright's sync API holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Chromium not found: run `apt-get install -y chromium` (or set CHROMIUM_PATH) to run browser tests"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " — REQUIRE_BROWSER=1 makes this an error")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(user=None, viewport=DESKTOP, locale="zh-CN") → a logged-in Playwright page."""
    contexts = []

    def make(user=None, *, viewport=DESKTOP, password="pw", locale="zh-CN"):
        context = browser.new_context(viewport=viewport, locale=locale)  # the locale is the Accept-Language sent
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", password)
            page.click("button[type=submit].primary")
            page.wait_for_load_state()
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name):
    """Save a full-page PNG under test-artifacts/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


AXE = Path(__file__).resolve().parents[2] / "tests" / "browser" / "vendor" / "axe.min.js"


def axe_violations(page, impacts=("serious", "critical")):
    """Run the vendored axe-core on the page; the violations of the given impacts."""
    # Evaluated through the DevTools protocol rather than added as a <script>: the
    # Content-Security-Policy (rightly) refuses inline script, and the page must stay under it.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in impacts]
