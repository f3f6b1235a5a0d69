"""One function per figure of `make bench`.

Each takes the run's context and returns a list of lines `name: value` (plus any raw
numbers it came from, as `  raw ...` lines). A figure that cannot be measured yet
returns `name: not measured (reason)`; its owner replaces the body, nothing else changes.
"""

import statistics
import time

from bench import server


def _alternate(ctx, sides):
    """Alternating rounds of wrk over {label: (path or paths, cookie)}; {label: [rps per round]}."""
    rps = {label: [] for label in sides}
    for _ in range(ctx.rounds):
        for label, (path, cookie) in sides.items():
            rps[label].append(server.wrk(path, cookie=cookie, seconds=ctx.seconds, connections=ctx.connections)[0])
    return rps


def _ratio_lines(name, rps, numerator, denominator, goal):
    """The median of the per-round ratios: each round's two sides ran back to back, so a
    machine that slows down for a while (other work on it) moves both sides of a pair together."""
    ratios = [x / y for x, y in zip(rps[numerator], rps[denominator], strict=False)]
    of_medians = statistics.median(rps[numerator]) / statistics.median(rps[denominator])
    lines = [f"{name}: {statistics.median(ratios):.3f}"]
    lines += [
        f"  raw {label} rps: " + ", ".join(f"{v:.1f}" for v in values) + f" (median {statistics.median(values):.1f})"
        for label, values in rps.items()
    ]
    lines.append(
        f"  raw per-round ratios: {', '.join(f'{r:.3f}' for r in ratios)}; ratio of medians {of_medians:.3f}; goal {goal}"
    )
    return lines


def _check_page(path, cookie, must_contain, rows=0):
    """The page answers 200 with what it should show: wrk alone would count a login redirect as success."""
    status, body = server.fetch(path, cookie)
    if status != 200 or must_contain not in body or (rows and body.count('<tr class="requirement"') < rows):
        raise RuntimeError(
            f"GET {path} answered {status} without {must_contain!r} and {rows} rows: not the page to measure"
        )


def dashboard_queries_strings(department):
    """At least 25 distinct views of one department's dashboard, as its staff use it: each light and
    status, roles, searches, due windows and every sortable column (each query string rendered anew)."""
    from urllib.parse import urlencode

    from tasks.filters import YES

    variants = [
        {},
        {"role": "responsible"},
        {"role": "cooperating"},
        *({"light": light} for light in ("red", "yellow", "green", "completed")),
        *({"status": status} for status in ("not_started", "in_progress", "completed")),
        {"due_within": 30},
        {"due_within": 90},
        {"postponed": YES},
        {"q": "水"},
        {"q": "制度"},
        *(
            {"sort": key}
            for key in (
                "-number",
                "deadline",
                "-deadline",
                "next_due",
                "light",
                "-light",
                "officials",
                "responsible",
                "status",
                "-updated",
            )
        ),
        {"per_page": 10},
        {"per_page": 10, "page": 2},
        {"light": "green", "sort": "next_due"},
    ]
    return [f"/?{urlencode({'department': department, **variant})}" for variant in variants]


def dashboard_vs_hello_rps(ctx):
    """A staff member's department dashboard (full page: summary, progress, filters, table), rendered for
    each request, wrk rotating over 28 query strings, over the trivial view behind the same middleware."""
    from urllib.parse import parse_qs, urlsplit

    landing = server.location("/", ctx.cookies["water"])  # staff land on their department
    department = parse_qs(urlsplit(landing).query)["department"][0]
    paths = dashboard_queries_strings(department)
    for path in paths:
        _check_page(path, ctx.cookies["water"], 'class="table requirements"')
    _check_page(paths[0], ctx.cookies["water"], 'class="table requirements"', rows=15)
    _check_page("/_bench/hello/", ctx.cookies["water"], "hello")
    rps = _alternate(
        ctx, {"dashboard": (paths, ctx.cookies["water"]), "hello": ("/_bench/hello/", ctx.cookies["water"])}
    )
    lines = _ratio_lines("dashboard_vs_hello_rps", rps, "dashboard", "hello", "≥ 0.15")
    lines.append(f"  raw wrk rotated over {len(paths)} query strings of department {department}'s dashboard as water")
    return lines


def dashboard_all_vs_admin_changelist_rps(ctx):
    dashboard, changelist = "/?per_page=64", "/admin/tasks/requirement/"
    _check_page(dashboard, ctx.cookies["admin"], 'class="table requirements"', rows=64)
    status, body = server.fetch(changelist, ctx.cookies["admin"])
    if status != 200 or body.count("<tr") < 65:
        raise RuntimeError(f"GET {changelist} answered {status} without 64 rows")
    rps = _alternate(
        ctx,
        {"dashboard_all": (dashboard, ctx.cookies["admin"]), "admin_changelist": (changelist, ctx.cookies["admin"])},
    )
    return _ratio_lines("dashboard_all_vs_admin_changelist_rps", rps, "dashboard_all", "admin_changelist", "≥ 3")


def _dashboard_queries(user):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    first = client.get("/", secure=True)  # warms caches (content types, permissions) as a running server has them
    url = first.url if first.status_code == 302 else "/"  # staff land on their department's view
    client.get(url, secure=True)  # the page itself once, as a server that has shown it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _grow_to(total):
    """Copies of the 64 requirements (with departments and officials) until the current table holds `total`."""
    from tasks.models import Assignment, Breakdown, Requirement

    breakdown = Breakdown.current()
    originals = list(Requirement.objects.filter(breakdown=breakdown).prefetch_related("assignments", "lead_officials"))
    top = max(r.number for r in originals)
    copies, sources = [], []
    for k in range(1, total // len(originals)):
        for r in originals:
            copy = Requirement(
                breakdown=breakdown,
                task_id=r.task_id,
                number=r.number + k * top,
                text=r.text,
                deadline_text=r.deadline_text,
                deadline_kind=r.deadline_kind,
                due_date=r.due_date,
                recurrence=r.recurrence,
                status=r.status,
                progress=r.progress,
            )
            copies.append(copy)
            sources.append(r)
    Requirement.objects.bulk_create(copies, batch_size=1000)
    Assignment.objects.bulk_create(
        [
            Assignment(
                requirement=c,
                role=a.role,
                department_id=a.department_id,
                collective_id=a.collective_id,
                position=a.position,
            )
            for c, r in zip(copies, sources, strict=False)
            for a in r.assignments.all()
        ],
        batch_size=2000,
    )
    through = Requirement.lead_officials.through
    through.objects.bulk_create(
        [
            through(requirement_id=c.pk, official_id=o.pk)
            for c, r in zip(copies, sources, strict=False)
            for o in r.lead_officials.all()
        ],
        batch_size=2000,
    )
    return Requirement.objects.filter(breakdown=breakdown).count()


def queries_dashboard(ctx):
    """Queries of a staff member's dashboard request on 64 and on 6,400 requirements (grown in a
    transaction rolled back afterwards)."""
    from django.db import transaction

    from tasks.models import Requirement
    from teams.models import User

    water = User.objects.get(username="water")
    small = _dashboard_queries(water)
    with transaction.atomic():
        count = _grow_to(6400)
        large = _dashboard_queries(water)
        transaction.set_rollback(True)  # the bench database keeps its 64
    assert Requirement.objects.count() == 64
    return [
        f"queries_dashboard_64: {small}",
        f"queries_dashboard_6400: {large}",
        f"  raw requirements in the large table: {count}; goal: equal, each ≤ 12",
    ]


def _not_measured(name, reason):
    def figure(ctx):
        return [f"{name}: not measured ({reason})"]

    figure.__name__ = name
    figure.not_measured = True
    return figure


BULLETIN_MONTH = (2026, 10)  # the demo's last month of indicator values (2025-01..2026-10)


def _bulletin_url():
    from django.urls import reverse

    return reverse("metrics:bulletin", args=[f"{BULLETIN_MONTH[0]}", f"{BULLETIN_MONTH[1]:02d}"])


def _page_queries(user, url):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    assert client.get(url, secure=True).status_code == 200  # warms caches as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _keep_last_year():
    """Deletes the values older than the bulletin's last 12 months; returns how many months remain."""
    from datetime import date

    from metrics.models import MonthlyValue

    year, month = BULLETIN_MONTH
    first = date(year - 1, month + 1, 1) if month < 12 else date(year, 1, 1)
    MonthlyValue.objects.filter(month__lt=first).delete()
    MonthlyValue.objects.filter(month__gt=date(year, month, 1)).delete()
    return MonthlyValue.objects.dates("month", "month").count()


def _add_years_before(years):
    """Copies of the kept 12 months, shifted back 1..`years` years, created in bulk."""
    from metrics.models import MonthlyValue

    kept = list(MonthlyValue.objects.all())
    copies = [
        MonthlyValue(
            indicator_id=v.indicator_id,
            area_id=v.area_id,
            month=v.month.replace(year=v.month.year - k),
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
        )
        for k in range(1, years + 1)
        for v in kept
    ]
    MonthlyValue.objects.bulk_create(copies, batch_size=2000)
    return MonthlyValue.objects.dates("month", "month").count()


def queries_bulletin(ctx, username="water"):
    """Bulletin page queries with 12 months of history, then with 60 (the extra 48 generated in bulk),
    in one transaction rolled back, so the bench database keeps the demo's values."""
    from django.db import transaction

    from metrics.models import MonthlyValue
    from teams.models import User

    user, url = User.objects.get(username=username), _bulletin_url()
    before = MonthlyValue.objects.count()
    with transaction.atomic():
        months_1y = _keep_last_year()
        one_year = _page_queries(user, url)
        months_5y = _add_years_before(4)
        five_years = _page_queries(user, url)
        rows_5y = MonthlyValue.objects.count()
        transaction.set_rollback(True)
    assert MonthlyValue.objects.count() == before
    return [
        f"queries_bulletin_1y: {one_year}",
        f"queries_bulletin_5y: {five_years}",
        f"  raw {url}: {months_1y} months of values, then {months_5y} months ({rows_5y} MonthlyValue rows); "
        "goal: equal, each ≤ 15",
    ]


queries_bulletin.__name__ = "queries_bulletin_1y"  # prints both _1y and _5y


def _render_ms(client, url):
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def bulletin_vs_dashboard_ms(ctx, username="water", per_round=5):
    """Median in-process time (test client, same user) of the bulletin over the dashboard, in alternating
    rounds of `per_round` requests per side; the median of the per-round ratios."""
    return _bulletin_vs_dashboard_ms(ctx, username, per_round, "bulletin_vs_dashboard_ms", "≤ 2")


def _bulletin_vs_dashboard_ms(ctx, username, per_round, name, goal):
    from django.test import Client

    from teams.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    first = client.get("/", secure=True)
    dashboard = first.url if first.status_code == 302 else "/"  # staff land on their department
    bulletin = _bulletin_url()
    for url in (dashboard, bulletin):
        _render_ms(client, url)  # warm-up
    rounds = max(3, ctx.rounds if ctx else 3)
    ms = {"bulletin": [], "dashboard": []}
    for _ in range(rounds):
        for label, url in (("bulletin", bulletin), ("dashboard", dashboard)):
            ms[label].append(statistics.median(_render_ms(client, url) for _ in range(per_round)))
    ratios = [b / d for b, d in zip(ms["bulletin"], ms["dashboard"], strict=False)]
    lines = [f"{name}: {statistics.median(ratios):.3f}"]
    lines += [
        f"  raw {label} ms (median of {per_round} per round): "
        + ", ".join(f"{v:.1f}" for v in values)
        + f" (median {statistics.median(values):.1f})"
        for label, values in ms.items()
    ]
    lines.append(
        f"  raw per-round ratios: {', '.join(f'{r:.3f}' for r in ratios)}; {bulletin} vs {dashboard} "
        f"as {username}, test client in-process; goal {goal}"
    )
    return lines


def bulletin_docx_vs_page_ms(ctx, username="leader", per_round=3):
    """Making the bulletin's .docx over rendering its page, same month, same user, in-process, alternating
    rounds of `per_round` requests per side (median of the per-round ratios); the PDF's time (LibreOffice
    converting that .docx) reported beside it."""
    from django.test import Client

    from teams.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    page = _bulletin_url()
    docx, pdf = page + "docx/", page + "pdf/"
    for url in (page, docx):
        _render_ms(client, url)  # warm-up
    rounds = max(3, ctx.rounds if ctx else 3)
    ms = {"docx": [], "page": []}
    for _ in range(rounds):
        for label, url in (("docx", docx), ("page", page)):
            ms[label].append(_median_ms(client, url, per_round))
    ratios = [d / p for d, p in zip(ms["docx"], ms["page"], strict=False)]
    pdf_ms = _render_ms(client, pdf)
    lines = [f"bulletin_docx_vs_page_ms: {statistics.median(ratios):.3f}"]
    lines += [
        f"  raw {label} ms (median of {per_round} per round): "
        + ", ".join(f"{v:.1f}" for v in values)
        + f" (median {statistics.median(values):.1f})"
        for label, values in ms.items()
    ]
    lines.append(
        f"  raw per-round ratios: {', '.join(f'{r:.3f}' for r in ratios)}; {docx} vs {page} as {username}; goal ≤ 3"
    )
    lines.append(f"  raw pdf ms (LibreOffice headless, one request): {pdf_ms:.0f}")
    return lines


def _median_ms(client, url, times):
    return statistics.median(_render_ms(client, url) for _ in range(times))


def page_6400_vs_64_ms(ctx, total=6400, per_round=5):
    """The leader's whole-table dashboard and the bulletin rendered in-process with the table grown to
    `total` requirements (as queries_dashboard grows it) against the 64: alternating rounds, each round
    the 64 then the grown table in a savepoint rolled back; medians of `per_round` renders per side."""
    from django.db import transaction
    from django.test import Client

    from tasks.models import Requirement
    from teams.models import User

    client = Client()
    client.force_login(User.objects.get(username="leader"))
    pages = {"dashboard": "/", "bulletin": _bulletin_url()}
    ms = {(page, size): [] for page in pages for size in ("64", "large")}
    rounds, count = max(3, ctx.rounds if ctx else 3), 0
    with transaction.atomic():
        for _ in range(rounds):
            for page, url in pages.items():
                _render_ms(client, url)  # warm-up
                ms[page, "64"].append(_median_ms(client, url, per_round))
            grown = transaction.savepoint()
            count = _grow_to(total)
            for page, url in pages.items():
                _render_ms(client, url)
                ms[page, "large"].append(_median_ms(client, url, per_round))
            transaction.savepoint_rollback(grown)
        transaction.set_rollback(True)
    assert Requirement.objects.count() == 64
    lines = []
    for page, url in pages.items():
        ratios = [large / small for small, large in zip(ms[page, "64"], ms[page, "large"], strict=False)]
        lines += [
            f"{page}_6400_vs_64_ms: {statistics.median(ratios):.2f}",
            f"  raw {url} as leader, ms (median of {per_round} per round) at 64: "
            + ", ".join(f"{v:.1f}" for v in ms[page, "64"])
            + f"; at {count}: "
            + ", ".join(f"{v:.1f}" for v in ms[page, "large"])
            + "; per-round ratios "
            + ", ".join(f"{r:.2f}" for r in ratios)
            + "; goal ≤ 3",
        ]
    return lines


page_6400_vs_64_ms.__name__ = "dashboard_6400_vs_64_ms"  # prints dashboard_ and bulletin_6400_vs_64_ms


def export_10k_vs_openpyxl_write(ctx, rows=10_240, rounds=3):
    """The task-table export (/export/, styled, pillar and task cells merged) of a fresh `rows`-row
    synthetic table over openpyxl's write-only mode writing the same cell values without styles, in
    alternating rounds; the median of the per-round ratios. The table is imported and rolled back."""
    import io

    from django.db import transaction
    from openpyxl import Workbook, load_workbook

    from bench.synthetic import synthetic_table
    from tasks.importing.export import export_breakdown
    from tasks.importing.runs import breakdown_import
    from tasks.models import Breakdown

    def plain(values):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in values:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    pairs = []
    with transaction.atomic():
        Breakdown.objects.filter(is_current=True).update(is_current=False)
        outcome = breakdown_import(data=synthetic_table(rows), filename="bench.xlsx", store_file=False)
        if not outcome.applied:
            raise RuntimeError(f"the synthetic table did not import: {outcome.errors[:3]}")
        breakdown = Breakdown.current()
        first = export_breakdown(breakdown)
        values = list(load_workbook(io.BytesIO(first), read_only=True).worksheets[0].iter_rows(values_only=True))
        if len(values) != rows + 3:
            raise RuntimeError(f"the export holds {len(values) - 3} requirement rows, not {rows}")
        for _ in range(rounds):
            started = time.perf_counter()
            export_breakdown(breakdown)
            ours = time.perf_counter() - started
            started = time.perf_counter()
            plain(values)
            theirs = time.perf_counter() - started
            pairs.append((ours, theirs))
        transaction.set_rollback(True)
    return [
        f"export_10k_vs_openpyxl_write: {statistics.median(o / t for o, t in pairs):.2f}",
        f"  raw {rows} rows on {_database_vendor()}, {rounds} rounds: "
        + "; ".join(f"export {o:.3f} s / openpyxl write-only {t:.3f} s = {o / t:.2f}" for o, t in pairs)
        + "; the export's time includes its query; goal ≤ 3",
    ]


def _fresh_import(data):
    """measure_import of `data` as a first import (no current breakdown), rolled back afterwards."""
    from django.db import transaction

    from bench.synthetic import measure_import
    from tasks.models import Breakdown

    with transaction.atomic():
        Breakdown.objects.filter(is_current=True).update(is_current=False)
        result = measure_import(data)
        transaction.set_rollback(True)
    return result


def _database_vendor():
    from django.db import connection

    return connection.vendor


def import_10k_vs_openpyxl_read(ctx, rows=10_000, rounds=3):
    """A fresh `rows`-row office-layout import over openpyxl's read-only read of the same file, in-process
    on the bench's database (PostgreSQL under `make bench`), `rounds` times; the median of the ratios.
    The name keeps 10k whatever `rows` is."""
    from bench.synthetic import synthetic_table

    data = synthetic_table(rows)
    results = []
    for _ in range(rounds):
        result = _fresh_import(data)
        if result["rows"] != rows or not result["counts"]:
            raise RuntimeError(f"the import did not read {rows} rows: {result}")
        results.append(result)
    vendor = _database_vendor()
    return [
        f"import_10k_vs_openpyxl_read: {statistics.median(r['ratio'] for r in results):.2f}",
        f"  raw {rows} rows on {vendor}, {rounds} rounds: "
        + "; ".join(
            f"import {r['import_seconds']:.3f} s / read {r['openpyxl_read_seconds']:.3f} s = {r['ratio']:.2f}"
            for r in results
        )
        + f"; median of the ratios; counts {results[-1]['counts']}; goal ≤ 2 on SQLite (PostgreSQL reported)",
    ]


def import_10k_vs_openpyxl_read_sqlite(ctx, rows=10_000, rounds=3):
    """The figure above on SQLite, the database the goal names: a child process on a fresh SQLite file
    (migrated, demo loaded), `rounds` fresh imports, the median of their ratios."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from bench.environment import bench_env, manage
    from bench.synthetic import synthetic_table

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(bench_env(), DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3")
        for command in (["migrate", "--noinput"], ["setup_roles"], ["load_demo"]):
            manage(env, *command)
        table = Path(tmp) / "table.xlsx"
        table.write_bytes(synthetic_table(rows))
        out = subprocess.run(
            [sys.executable, "-m", "bench.import_child", str(table), str(rounds)],
            cwd=str(_root()),
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    child = json.loads(out.strip().splitlines()[-1])
    if child["rows"] != rows:
        raise RuntimeError(f"the SQLite import did not read {rows} rows: {child}")
    ratios = [r["ratio"] for r in child["rounds"]]
    return [
        f"import_10k_vs_openpyxl_read_sqlite: {statistics.median(ratios):.2f}",
        f"  raw {rows} rows on sqlite, {rounds} rounds: "
        + "; ".join(
            f"import {r['import_seconds']:.3f} s / read {r['openpyxl_read_seconds']:.3f} s = {r['ratio']:.2f}"
            for r in child["rounds"]
        )
        + "; median of the ratios; goal ≤ 2",
    ]


def import_peak_rss_mb(ctx, rows=10_000):
    """Peak resident memory of a fresh process that imports a `rows`-row table it reads from a file.

    A wrapper process runs `python -m bench.import_child` and reports its
    RUSAGE_CHILDREN ru_maxrss, so no other child of the bench (gunicorn, manage.py) counts."""
    import json
    import subprocess
    import sys
    import tempfile

    from bench.synthetic import synthetic_table

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(synthetic_table(rows))
        file.flush()
        wrapper = (
            "import resource, subprocess, sys; "
            "out = subprocess.run([sys.executable, '-m', 'bench.import_child', sys.argv[1]], check=True, "
            "capture_output=True, text=True).stdout; "
            "print(out.strip().splitlines()[-1]); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        out = (
            subprocess.run(
                [sys.executable, "-c", wrapper, file.name], check=True, capture_output=True, text=True, cwd=str(_root())
            )
            .stdout.strip()
            .splitlines()
        )
    child, maxrss_kb = json.loads(out[-2]), int(out[-1])
    return [
        f"import_peak_rss_mb: {maxrss_kb / 1024:.1f}",
        f"  raw {child['rows']} rows, fresh import in a child process (Django set up, file read from disk, "
        f"rolled back): import {child['import_seconds']:.3f} s; ru_maxrss {maxrss_kb} KiB; goal ≤ 150",
    ]


def _root():
    from bench.environment import ROOT

    return ROOT


def import_vs_django_import_export(ctx, rows=10_000, rounds=3):
    """Seconds of django-import-export importing `rows` flat requirement rows over tieju's fresh import of
    the office-layout table with the same requirements, in `rounds` alternating rounds; the median of the
    per-round ratios. See bench/import_export_resource.py for what the flat rows hold (and leave out)."""
    from django.db import transaction

    from bench.import_export_resource import flat_dataset, import_flat
    from bench.synthetic import synthetic_table
    from tasks.models import Breakdown

    data = synthetic_table(rows)
    pairs = []
    for _ in range(rounds):
        tieju = _fresh_import(data)["import_seconds"]
        with transaction.atomic():
            Breakdown.objects.filter(is_current=True).update(is_current=False)
            dataset, breakdown = flat_dataset(data)
            started = time.perf_counter()
            result = import_flat(dataset)
            theirs = time.perf_counter() - started
            imported = breakdown.requirements.count()
            transaction.set_rollback(True)
        if result.has_errors() or result.has_validation_errors() or imported != rows:
            raise RuntimeError(f"django-import-export imported {imported} of {rows} rows with errors")
        pairs.append((theirs, tieju))
    return [
        f"import_vs_django_import_export: {statistics.median(theirs / tieju for theirs, tieju in pairs):.2f}",
        f"  raw {rows} rows on {_database_vendor()}, {rounds} rounds: "
        + "; ".join(
            f"django-import-export {theirs:.3f} s / tieju {tieju:.3f} s = {theirs / tieju:.1f}"
            for theirs, tieju in pairs
        )
        + " (django-import-export: Requirement rows with task and lead officials; no pillars, tasks or departments"
        " created; tieju: the whole office-layout import); median of the ratios; goal ≥ 25",
    ]


# In the order they are printed. Served figures first: they need gunicorn, the rest run in-process.
SERVED = [dashboard_vs_hello_rps, dashboard_all_vs_admin_changelist_rps]
IN_PROCESS = [
    page_6400_vs_64_ms,
    bulletin_vs_dashboard_ms,
    bulletin_docx_vs_page_ms,
    queries_dashboard,
    queries_bulletin,
    export_10k_vs_openpyxl_write,
    import_10k_vs_openpyxl_read,
    import_10k_vs_openpyxl_read_sqlite,
    import_peak_rss_mb,
    import_vs_django_import_export,
]
