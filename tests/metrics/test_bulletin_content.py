"""The bulletin page shows what its recorded copy in tests/metrics/bulletin_pages/ shows, on the demo data.

A guard for work on how the bulletin is computed and rendered (its queries, its speed): the figures,
tables, narrative, navigation and chart data must not move. The demo's journal is generated backwards
from "today", so it is loaded, and the pages read, with the clock stopped.

When the page is meant to change, rewrite the copies with TIEJU_RECORD_PAGES=1 and review their diff.
"""

import json
import os
import re
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from metrics.models import MonthlyValue
from teams.models import User

PAGES = Path(__file__).parent / "bulletin_pages"
NOW = datetime(2026, 11, 16, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')
CHARTS = re.compile(r'<script id="bulletin-charts" type="application/json">(.*?)</script>', re.S)
# A new line before each block the page is made of, so a difference reads as the row or paragraph it is in.
BLOCK = re.compile(
    r"(?=<(?:p|h1|h2|li|tr|thead|tbody|tfoot|table|section|figure|form|header|footer|nav|div|script)[ >])"
)


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    with translation.override("zh-hans"):  # the journal notes it writes are in the active language
        call_command("load_demo", stdout=StringIO())


def _readable(html):
    """The page's body as lines of normalised HTML, with the chart data pretty-printed after it."""
    body = html[html.index("<body>") : html.index("</body>")]
    charts = json.loads(CHARTS.search(body).group(1))
    body = CSRF.sub(r'\1…"', re.sub(r">\s+<", "><", re.sub(r"\s+", " ", body)))
    lines = [line for line in BLOCK.split(body) if line]
    return "\n".join(lines) + "\n\n" + json.dumps(charts, ensure_ascii=False, indent=1) + "\n"


def _check(client, name, url):
    response = client.get(url)
    assert response.status_code == 200
    page = _readable(response.content.decode())
    recorded = PAGES / f"{name}.txt"
    if os.environ.get("TIEJU_RECORD_PAGES") == "1":
        recorded.write_text(page, encoding="utf-8")
    assert page == recorded.read_text(encoding="utf-8")


def test_it_shows_october_to_staff_as_recorded(client, demo):
    client.force_login(User.objects.get(username="water"))
    _check(client, "2026-10-water", reverse("metrics:bulletin", args=["2026", "10"]))


def test_it_shows_january_and_november_to_a_leader_as_recorded(client, demo):
    client.force_login(User.objects.get(username="leader"))
    _check(client, "2026-01-leader", reverse("metrics:bulletin", args=["2026", "01"]))
    # No indicator values yet; the demo's postponement (decided on NOW) counts from this month on.
    _check(client, "2026-11-leader", reverse("metrics:bulletin", args=["2026", "11"]))


def test_it_shows_the_june_draft_and_its_changes_since_publication_as_recorded(client, demo):
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    url = reverse("metrics:bulletin-publish", args=["2026", "06"])
    digest = re.search(r'name="confirm" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    assert client.post(url, {"confirm": digest}).status_code == 302
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    _check(client, "2026-06-admin-draft", reverse("metrics:bulletin", args=["2026", "06"]) + "?draft=1")
