"""One function per figure of `make bench`.

Each takes the run's context and returns a list of lines `name: value` (plus any raw
numbers it came from, as `  raw ...` lines). A figure that cannot be measured yet
returns `name: not measured (reason)`; its owner replaces the body, nothing else changes.
"""

import statistics

from bench import server


def _alternate(ctx, sides):
    """Alternating rounds of wrk over {label: (path, cookie)}; {label: [rps per round]}."""
    rps = {label: [] for label in sides}
    for _ in range(ctx.rounds):
        for label, (path, cookie) in sides.items():
            rps[label].append(server.wrk(path, cookie=cookie, seconds=ctx.seconds, connections=ctx.connections)[0])
    return rps


def _ratio_lines(name, rps, numerator, denominator, goal):
    """The median of the per-round ratios: each round's two sides ran back to back, so a
    machine that slows down for a while (other work on it) moves both sides of a pair together."""
    ratios = [x / y for x, y in zip(rps[numerator], rps[denominator])]
    of_medians = statistics.median(rps[numerator]) / statistics.median(rps[denominator])
    lines = [f"{name}: {statistics.median(ratios):.3f}"]
    lines += [f"  raw {label} rps: " + ", ".join(f"{v:.1f}" for v in values) + f" (median {statistics.median(values):.1f})"
              for label, values in rps.items()]
    lines.append(f"  raw per-round ratios: {', '.join(f'{r:.3f}' for r in ratios)}; ratio of medians {of_medians:.3f}; goal {goal}")
    return lines


def _check_page(path, cookie, must_contain, rows=0):
    """The page answers 200 with what it should show: wrk alone would count a login redirect as success."""
    status, body = server.fetch(path, cookie)
    if status != 200 or must_contain not in body or (rows and body.count("<tr") < rows + 1):
        raise RuntimeError(f"GET {path} answered {status} without {must_contain!r} and {rows} rows: not the page to measure")


def dashboard_vs_hello_rps(ctx):
    status, _ = server.fetch("/", ctx.cookies["water"])
    dashboard = server.location("/", ctx.cookies["water"]) if status == 302 else "/"  # staff land on their department
    _check_page(dashboard, ctx.cookies["water"], 'class="table requirements"', rows=25)
    _check_page("/_bench/hello/", ctx.cookies["water"], "hello")
    rps = _alternate(ctx, {"dashboard": (dashboard, ctx.cookies["water"]), "hello": ("/_bench/hello/", ctx.cookies["water"])})
    return _ratio_lines("dashboard_vs_hello_rps", rps, "dashboard", "hello", "≥ 0.2")


def dashboard_all_vs_admin_changelist_rps(ctx):
    dashboard, changelist = "/?per_page=64", "/admin/tasks/requirement/"
    _check_page(dashboard, ctx.cookies["admin"], 'class="table requirements"', rows=64)
    _check_page(changelist, ctx.cookies["admin"], 'id="result_list"', rows=64)
    rps = _alternate(ctx, {"dashboard_all": (dashboard, ctx.cookies["admin"]), "admin_changelist": (changelist, ctx.cookies["admin"])})
    return _ratio_lines("dashboard_all_vs_admin_changelist_rps", rps, "dashboard_all", "admin_changelist", "≥ 3")


def _dashboard_queries(user):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    first = client.get("/", secure=True)  # warms caches (content types, permissions) as a running server has them
    url = first.url if first.status_code == 302 else "/"  # staff land on their department's view
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
                breakdown=breakdown, task_id=r.task_id, number=r.number + k * top, text=r.text,
                deadline_text=r.deadline_text, deadline_kind=r.deadline_kind, due_date=r.due_date,
                recurrence=r.recurrence, status=r.status, progress=r.progress,
            )
            copies.append(copy)
            sources.append(r)
    Requirement.objects.bulk_create(copies, batch_size=1000)
    Assignment.objects.bulk_create(
        [Assignment(requirement=c, role=a.role, department_id=a.department_id, collective_id=a.collective_id,
                    position=a.position) for c, r in zip(copies, sources) for a in r.assignments.all()],
        batch_size=2000,
    )
    through = Requirement.lead_officials.through
    through.objects.bulk_create(
        [through(requirement_id=c.pk, official_id=o.pk) for c, r in zip(copies, sources) for o in r.lead_officials.all()],
        batch_size=2000,
    )
    return Requirement.objects.filter(breakdown=breakdown).count()


def queries_dashboard(ctx):
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
        f"  raw requirements in the large table: {count}; goal: equal, each ≤ 10",
    ]


def _not_measured(name, reason):
    def figure(ctx):
        return [f"{name}: not measured ({reason})"]

    figure.__name__ = name
    figure.not_measured = True
    return figure


queries_bulletin = _not_measured("queries_bulletin_1y", "bulletin merged on 2026-11-29; this figure's function is not written yet")
queries_bulletin_5y = _not_measured("queries_bulletin_5y", "bulletin merged on 2026-11-29; this figure's function is not written yet")
import_10k_vs_openpyxl_read = _not_measured(
    "import_10k_vs_openpyxl_read", "import merged on 2026-11-29; this figure's function is not written yet"
)
import_peak_rss_mb = _not_measured("import_peak_rss_mb", "to be measured with import_10k_vs_openpyxl_read; not written yet")
import_vs_django_import_export = _not_measured(
    "import_vs_django_import_export", "needs the import above and a django-import-export resource for the same models"
)
bulletin_vs_dashboard_ms = _not_measured("bulletin_vs_dashboard_ms", "bulletin merged on 2026-11-29; this figure's function is not written yet")

# In the order they are printed. Served figures first: they need gunicorn, the rest run in-process.
SERVED = [dashboard_vs_hello_rps, dashboard_all_vs_admin_changelist_rps, bulletin_vs_dashboard_ms]
IN_PROCESS = [
    queries_dashboard, queries_bulletin, queries_bulletin_5y,
    import_10k_vs_openpyxl_read, import_peak_rss_mb, import_vs_django_import_export,
]
