"""`make bench`'s in-process figures still run against the current code (the served ones need gunicorn and wrk)."""

import re

import pytest

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


def _values(lines):
    return dict(line.split(": ", 1) for line in lines if not line.startswith(" "))


@pytest.fixture
def demo_indicators(reference, admin_user):
    """The demo's 13 indicators and their monthly values (2025-01..2026-10)."""
    from metrics.demo import metrics_demo_load

    return metrics_demo_load(user=admin_user)


def test_it_counts_the_bulletin_queries_for_one_and_five_years(water_staff, sample_table, demo_indicators):
    from metrics.models import MonthlyValue

    before = MonthlyValue.objects.count()
    lines = figures.queries_bulletin(ctx=None)
    values = _values(lines)
    assert set(values) == {"queries_bulletin_1y", "queries_bulletin_5y"}
    assert int(values["queries_bulletin_1y"]) > 0 and int(values["queries_bulletin_5y"]) > 0
    assert "12 months of values, then 60 months" in lines[-1]
    assert MonthlyValue.objects.count() == before  # the generated years are rolled back


def test_it_times_the_bulletin_against_the_dashboard(water_staff, sample_table, demo_indicators):
    lines = figures.bulletin_vs_dashboard_ms(ctx=None, per_round=1)
    assert LINE.match(lines[0]) and float(_values(lines)["bulletin_vs_dashboard_ms"]) > 0


def test_it_times_the_bulletin_docx_against_its_page_and_reports_the_pdf(leader, sample_table, demo_indicators):
    lines = figures.bulletin_docx_vs_page_ms(ctx=None, per_round=1)
    assert LINE.match(lines[0]) and float(_values(lines)["bulletin_docx_vs_page_ms"]) > 0
    assert re.search(r"raw pdf ms \(LibreOffice headless, one request\): \d+", lines[-1])


def test_it_times_a_fresh_import_against_openpyxl(water_staff, sample_table):
    lines = figures.import_10k_vs_openpyxl_read(ctx=None, rows=200)
    assert LINE.match(lines[0]) and float(_values(lines)["import_10k_vs_openpyxl_read"]) > 0
    assert "200 rows" in lines[1] and lines[1].count(" = ") == 3  # three rounds, each its ratio
    assert Requirement.objects.count() == 64  # rolled back


def test_it_times_the_import_on_sqlite_in_a_process_of_its_own(db):
    lines = figures.import_10k_vs_openpyxl_read_sqlite(ctx=None, rows=200, rounds=1)
    assert LINE.match(lines[0]) and float(_values(lines)["import_10k_vs_openpyxl_read_sqlite"]) > 0
    assert "200 rows on sqlite, 1 rounds" in lines[1]


def test_it_times_django_import_export_against_the_import(water_staff, sample_table):
    # django-import-export is a benchmark-only dependency (the `bench` extra that `make bench` installs).
    pytest.importorskip("import_export", reason="the bench extra is not installed: pip install '.[bench]'")
    lines = figures.import_vs_django_import_export(ctx=None, rows=200, rounds=2)
    assert LINE.match(lines[0]) and float(_values(lines)["import_vs_django_import_export"]) > 0
    assert "2 rounds" in lines[1] and lines[1].count(" = ") == 2
    assert Requirement.objects.count() == 64  # rolled back


def test_it_times_the_dashboard_and_bulletin_on_a_grown_table(leader, sample_table, demo_indicators):
    lines = figures.page_6400_vs_64_ms(ctx=None, total=640, per_round=1)
    values = _values(lines)
    assert set(values) == {"dashboard_6400_vs_64_ms", "bulletin_6400_vs_64_ms"}
    assert all(float(v) > 0 for v in values.values())
    assert "at 640:" in lines[1] and lines[1].count("per-round ratios") == 1
    assert Requirement.objects.count() == 64  # the grown table is rolled back


def test_it_times_the_task_table_export_against_openpyxl_write_only(water_staff, sample_table):
    lines = figures.export_10k_vs_openpyxl_write(ctx=None, rows=200, rounds=2)
    assert LINE.match(lines[0]) and float(_values(lines)["export_10k_vs_openpyxl_write"]) > 0
    assert "200 rows" in lines[1] and lines[1].count(" = ") == 2
    assert Requirement.objects.count() == 64  # rolled back


def test_it_rotates_over_at_least_25_distinct_views_of_a_department(client, water_staff, sample_table):
    from teams.models import Department

    paths = figures.dashboard_queries_strings(Department.objects.get(name="水生态环境处").pk)
    assert len(set(paths)) == len(paths) >= 25
    client.force_login(water_staff)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200 and b'class="table requirements"' in response.content, path
