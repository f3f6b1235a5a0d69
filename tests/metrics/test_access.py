"""Every metrics page, four ways: anonymous → login, no role → 404, wrong role → 403, allowed → 200/302."""

import pytest
from django.urls import reverse

# (url name, args, the role fixture that may not use it or None, the role fixture that may)
PAGES = [
    ("metrics:bulletin-latest", [], None, "water_staff"),
    ("metrics:bulletin", ["2026", "06"], None, "leader"),
    ("metrics:bulletin-xlsx", ["2026", "06"], None, "leader"),
    ("metrics:bulletin-docx", ["2026", "06"], None, "leader"),
    ("metrics:bulletin-at-risk", ["2026", "06"], None, "leader"),
    ("metrics:bulletin-publish", ["2026", "06"], "leader", "admin_user"),  # the confirmation page
    ("metrics:entry-latest", [], None, "leader"),  # everyone with the bulletin permission reads the grid
    ("metrics:entry", ["2026", "06"], None, "leader"),
    ("metrics:reporting", ["2026", "06"], None, "leader"),
    ("metrics:import", [], "leader", "water_staff"),
    ("metrics:export", [], "leader", "admin_user"),
    ("metrics:indicator-list", [], None, "water_staff"),
    ("metrics:indicator", ["pm25"], None, "leader"),
]
POSTS = [  # the demo leaves 2026-10 in draft and approves the months before it (publishing: test_publish.py)
    ("metrics:month-submit", ["2026", "10"], "leader", "water_staff"),
    ("metrics:month-approve", ["2026", "10"], "water_staff", "admin_user"),
    ("metrics:month-reopen", ["2026", "06"], "water_staff", "admin_user"),
]


@pytest.mark.parametrize("name, args, wrong, allowed", PAGES)
def test_it_guards_each_page_four_ways(client, request, outsider, sample_indicators, name, args, wrong, allowed):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    if wrong:
        client.force_login(request.getfixturevalue(wrong))
        assert client.get(url).status_code == 403
    client.force_login(request.getfixturevalue(allowed))
    assert client.get(url).status_code in (200, 302)


@pytest.mark.parametrize("name, args, wrong, allowed", POSTS)
def test_it_guards_each_action_four_ways_and_writes_nothing_when_refused(
    client, request, outsider, sample_indicators, name, args, wrong, allowed
):
    from metrics.models import Bulletin, Month, MonthEvent
    from teams.models import Department

    def snapshot():
        return (
            Bulletin.objects.count(),
            MonthEvent.objects.count(),
            list(Month.objects.order_by("month").values_list("month", "state")),
        )

    if name == "metrics:month-approve":
        Month.objects.filter(month="2026-10-01").update(state="submitted")
    url = reverse(name, args=args)
    water = Department.objects.get(name="水生态环境处").pk  # owns the black-odorous counts in the demo
    before = snapshot()
    assert client.post(url, {"reason": "x", "department": water}).status_code == 302
    client.force_login(outsider)
    assert client.post(url, {"reason": "x", "department": water}).status_code == 404
    client.force_login(request.getfixturevalue(wrong))
    assert client.post(url, {"reason": "x", "department": water}).status_code == 403
    assert snapshot() == before
    client.force_login(request.getfixturevalue(allowed))
    assert client.post(url, {"reason": "数据需更正", "department": water}).status_code == 302
    assert snapshot() != before


@pytest.mark.parametrize("role", ["auditor", "system_admin", "security_admin"])
def test_it_hides_the_bulletin_from_roles_that_do_not_read_the_task_table(client, request, sample_indicators, role):
    # tasks/access.py's one rule: the three separated administrators (三员) see none of these pages.
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("metrics:bulletin", args=["2026", "06"])).status_code == 404
    assert client.get(reverse("metrics:entry", args=["2026", "06"])).status_code == 404
    assert client.get(reverse("metrics:indicator", args=["pm25"])).status_code == 404
