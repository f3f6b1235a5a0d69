"""The dashboard shows the same cells, counts and progress as before any speed work.

tests/tasks/dashboard_reference.py keeps the first, straightforward version (django-tables2
rendering every cell, queryset data, a query per summary figure) as the oracle; every query
string below is rendered by both, as a staff member and a leader, over the demo data.
"""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from tasks.models import Pillar, Requirement, Task
from teams.models import ActionTeam, Department, Official, User

from .dashboard_reference import reference_dashboard


class _Table(HTMLParser):
    """Header cells (text, sort link) and body rows (per cell: class, text, links) of table.requirements."""

    def __init__(self):
        super().__init__()
        self.depth, self.section, self.cell = 0, None, None
        self.headers, self.rows = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "requirements" in (attrs.get("class") or "").split():
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "table":
            self.depth += 1
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr" and self.section == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = {"class": attrs.get("class"), "colspan": attrs.get("colspan"), "text": "", "links": []}
        elif tag == "a" and self.cell is not None:
            self.cell["links"].append(attrs.get("href"))
        elif tag == "br" and self.cell is not None:
            self.cell["text"] += "\n"

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag in ("th", "td") and self.cell is not None:
            self.cell["text"] = " ".join(self.cell["text"].split())
            (self.headers if self.section == "thead" else self.rows[-1]).append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell["text"] += data


class _Selects(HTMLParser):
    """{select name: [(value, label, selected)]} of the page's filter form."""

    def __init__(self):
        super().__init__()
        self.selects, self.name, self.option = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.name = attrs["name"]
            self.selects[self.name] = []
        elif tag == "option" and self.name:
            self.option = [attrs.get("value"), "", "selected" in attrs]

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            self.selects[self.name].append(tuple(self.option))
            self.option = None
        elif tag == "select":
            self.name = None

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data.strip()


def _selects(html):
    parser = _Selects()
    parser.feed(html)
    return parser.selects


def _table(html):
    parser = _Table()
    parser.feed(html)
    return parser.headers, parser.rows


def _queries():
    water = Department.objects.get(name="水生态环境处")
    futian = Department.objects.get(name="福田管理局")
    pillar = Pillar.objects.filter(breakdown__is_current=True).order_by("number").last()
    task = Task.objects.filter(pillar__breakdown__is_current=True).order_by("number")[3]
    official = Official.objects.filter(requirements__isnull=False).first()
    team = ActionTeam.objects.filter(requirements__isnull=False).first() or ActionTeam.objects.first()
    sorts = ["number", "-number", "pillar", "-pillar", "task", "-task", "deadline", "-deadline", "status",
             "-status", "updated", "-updated", "text", "light", "bogus"]
    queries = [{}, {"per_page": 64}, {"page": 2}, {"page": 3}, {"page": 99}, {"page": "x"}, {"per_page": 100000}]
    queries += [{"sort": s, "per_page": 64} for s in sorts]
    queries += [{"sort": "-deadline", "page": 2}]
    queries += [
        {"department": water.pk}, {"department": futian.pk, "per_page": 64},
        {"department": futian.pk, "role": "responsible"}, {"department": futian.pk, "role": "cooperating"},
        {"department": "abc"}, {"department": 987654}, {"role": "responsible"},
        {"pillar": pillar.pk, "sort": "-number"}, {"task": task.pk}, {"task": 987654},
        {"official": official.pk, "per_page": 64}, {"team": team.pk},
        {"status": "in_progress"}, {"status": "completed", "sort": "-updated"}, {"status": "bogus"},
        {"light": "red", "per_page": 64}, {"light": "yellow", "per_page": 64}, {"light": "green"},
        {"light": "completed"}, {"light": "bogus"},
        {"due_within": 30, "per_page": 64}, {"due_within": 0}, {"due_within": 400, "sort": "deadline"},
        {"due_within": -1}, {"due_within": "soon"},
        {"q": "水", "per_page": 64}, {"q": "大气污染"}, {"q": "<script>"},
        {"department": water.pk, "light": "yellow", "due_within": 60, "sort": "-status"},
    ]
    return queries


def _mean(value):
    """SQL's AVG is a Decimal on PostgreSQL and a float on SQLite; the page shows it rounded."""
    return round(float(value), 6)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["water", "leader"])  # staff land on their department; leaders on all
def test_the_dashboard_shows_what_the_reference_dashboard_shows(client, username):
    call_command("load_demo", verbosity=0)
    assert Requirement.objects.exclude(postponed_to=None).exists(), "the demo should hold a postponed requirement"
    user = User.objects.get(username=username)
    client.force_login(user)
    factory = RequestFactory()
    compared_rows = 0
    for query in _queries():
        response = client.get(reverse("tasks:dashboard"), query, follow=True)  # staff land on their department
        request = factory.get(reverse("tasks:dashboard") + "?" + response.request["QUERY_STRING"])
        request.user = User.objects.get(pk=user.pk)
        assert response.status_code == 200, query
        html, summary, pillars, tasks, form = reference_dashboard(request)
        headers, rows = _table(response.content.decode())
        expected_headers, expected_rows = _table(html)
        assert headers == expected_headers, query
        assert rows == expected_rows, query
        expected_selects = _selects("".join(str(field) for field in form))
        page_selects = _selects(response.content.decode())
        assert {name: page_selects.get(name) for name in expected_selects} == expected_selects, query
        context = response.context
        assert [count for _code, _label, count, _url in context["summary"]] == summary, query
        assert [(r["task__pillar__name"], r["done"], r["total"], _mean(r["mean"])) for r in context["pillar_progress"]] \
            == [(*r[:-1], _mean(r[-1])) for r in pillars], query
        assert [(r["task__number"], r["task__title"], r["done"], r["total"], _mean(r["mean"]))
                for r in context["task_progress"]] == [(*r[:-1], _mean(r[-1])) for r in tasks], query
        compared_rows += len(rows)
    assert compared_rows > 500  # the comparison saw real rows, not empty tables
