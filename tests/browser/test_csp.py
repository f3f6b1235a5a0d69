"""The pages work under the Content-Security-Policy: the browser reports no violation.

Add a page as (user fixture or None, path, extra fixtures, selector that shows its scripts ran).
"""

import pytest

from tests.metrics.conftest import sample_indicators  # noqa: F401  (fixture)

PAGES = [
    (None, "/accounts/login/", (), None),
    ("water_staff", "/", (), None),
    ("water_staff", "/?per_page=100&sort=deadline", (), None),
    ("water_staff", "/teams/", (), None),
    ("leader", "/bulletin/2026-06/", ("sample_indicators",), '.chart[data-drawn="true"] svg'),
    ("water_staff", "/indicators/2026-10/", ("sample_indicators",), None),
    ("leader", "/indicator/pm25/?months=1-6", ("sample_indicators",), '.chart[data-drawn="true"] svg'),
    ("water_staff", "/account/tokens/", (), None),
    # Swagger UI from drf-spectacular-sidecar's files: it ran once it has drawn the operations from /api/schema/.
    (None, "/api/docs/", (), ".swagger-ui .opblock-summary-path"),
    ("superuser", "/admin/", (), None),
    ("superuser", "/admin/tasks/requirement/", (), None),
    ("superuser", "/admin/tasks/requirement/add/", (), None),
]


@pytest.mark.parametrize("who, path, fixtures, ready", PAGES, ids=[f"{p[0]}:{p[1]}" for p in PAGES])
def test_it_raises_no_content_security_policy_violation(
    new_page, live_server, request, sample_table, who, path, fixtures, ready
):
    for name in fixtures:
        request.getfixturevalue(name)
    user = request.getfixturevalue(who) if who else None
    page = new_page(user)
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    response = page.goto(f"{live_server.url}{path}")
    if ready:
        page.wait_for_selector(ready)
    page.wait_for_timeout(300)  # a late violation (from a script that ran after load) still reaches the console
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    violations = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert violations == []


def test_it_would_report_an_inline_script_the_policy_refuses(new_page, live_server, water_staff, sample_table):
    """The check above can fail: an inline script added to the page is refused and reported."""
    page = new_page(water_staff)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{live_server.url}/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran === undefined")
    assert any("Content Security Policy" in m for m in messages)
