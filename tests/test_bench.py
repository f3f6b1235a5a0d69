"""`make bench`'s in-process figures still run against the current code (the served ones need gunicorn and wrk)."""

import re

from bench import figures
from tasks.models import Requirement

LINE = re.compile(r"^[a-z0-9_]+: (\d+(\.\d+)?|not measured \(.+\))$")


def test_it_counts_the_dashboard_queries_for_64_and_6400_requirements(water_staff, sample_table):
    lines = figures.queries_dashboard(ctx=None)
    values = dict(line.split(": ", 1) for line in lines if not line.startswith(" "))
    assert set(values) == {"queries_dashboard_64", "queries_dashboard_6400"}
    assert int(values["queries_dashboard_64"]) > 0 and int(values["queries_dashboard_6400"]) > 0
    assert "6400" in lines[-1]
    assert Requirement.objects.count() == 64  # the large table is rolled back


def test_it_prints_a_figure_not_measured_yet_with_its_reason():
    placeholders = [f for f in figures.IN_PROCESS + figures.SERVED if getattr(f, "not_measured", False)]
    for figure in placeholders:
        [line] = figure(None)
        assert LINE.match(line) and line.startswith(figure.__name__ + ": not measured ("), line
