"""`make load`: locust headless for 60 s, 100 users, against gunicorn + PostgreSQL on loopback.

Prints errors and p50/p95/p99 per request type, then checks that every progress report
the server accepted is in the journal. Exits non-zero on any error or lost report.
"""

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import environment, server

USERS = int(os.environ.get("LOAD_USERS", "100"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
OUT = environment.VAR / "load"


def _url(name, **kwargs):
    """The URL of a named route, with {pk} left to fill; "" when the route does not exist yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs={"pk": 987654321} if kwargs else None).replace("987654321", "{pk}")
    except NoReverseMatch:
        return ""


def _accounts():
    from django.test import Client

    from tasks.models import Requirement
    from teams import roles
    from teams.models import User

    accounts = []
    for user in User.objects.filter(groups__name=roles.STAFF).prefetch_related("departments"):
        client = Client()
        client.force_login(user)
        writable = list(
            Requirement.objects.active().in_current_breakdown().responsible_for(*user.departments.all())
            .values_list("pk", flat=True)
        )
        accounts.append({"username": user.username, "session": client.cookies["sessionid"].value, "writable": writable})
    return accounts


def _filters():
    from tasks.models import Pillar
    from teams.models import Department

    filters = [{}, {}, {"page": 2}, {"sort": "deadline"}, {"status": "in_progress"}, {"q": "水"}]
    filters += [{"pillar": pk} for pk in Pillar.objects.filter(breakdown__is_current=True).values_list("pk", flat=True)]
    filters += [{"department": pk} for pk in Department.objects.active().values_list("pk", flat=True)[:10]]
    return filters


def _percentiles(csv_path):
    rows = list(csv.DictReader(open(csv_path)))
    lines = []
    for row in rows:
        lines.append(
            f"  {row['Name'] or 'all':<22} {row['Type']:<5} requests {row['Request Count']:>6}  errors {row['Failure Count']:>4}"
            f"  p50 {row['50%']:>5} ms  p95 {row['95%']:>5} ms  p99 {row['99%']:>5} ms  {float(row['Requests/s']):.1f}/s"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return lines, int(total["Failure Count"]), total


def main():
    env = environment.bench_env()
    # The load generator speaks plain HTTP to gunicorn as nginx would; the cookies must travel over it.
    env.update(SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")
    environment.prepare(env)
    os.environ.update(env)
    import django

    django.setup()
    from tasks.models import JournalEntry

    OUT.mkdir(parents=True, exist_ok=True)
    accepted_file = OUT / "accepted.json"
    accepted_file.unlink(missing_ok=True)
    load_env = dict(
        env,
        LOAD_ACCOUNTS=json.dumps(_accounts()),
        LOAD_FILTERS=json.dumps(_filters()),
        LOAD_REQUIREMENT_URL=_url("tasks:requirement-detail", pk=True),
        LOAD_REPORT_URL=_url("tasks:progress-report", pk=True),
        LOAD_BULLETIN_URL=_url("metrics:bulletin"),
        LOAD_ACCEPTED_FILE=str(accepted_file),
    )
    workers = int(os.environ.get("LOAD_WORKERS", "5"))
    print(f"# make load · {USERS} users · {SECONDS} s · gunicorn {workers} sync workers · PostgreSQL", flush=True)
    started = time.monotonic()
    with server.Gunicorn(env, workers):
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
             "-u", str(USERS), "-r", "20", "-t", f"{SECONDS}s", "--stop-timeout", "10",
             "--host", f"http://{server.HOST}:{server.PORT}", "--csv", str(OUT / "stats"), "--only-summary",
             "--loglevel", "WARNING"],
            env=load_env, check=False, stdout=subprocess.DEVNULL,
        )
    lines, errors, total = _percentiles(OUT / "stats_stats.csv")
    print("\n".join(lines))
    result = json.loads(accepted_file.read_text())
    found = set(JournalEntry.objects.filter(note__in=result["accepted"]).values_list("note", flat=True))
    lost = [note for note in result["accepted"] if note not in found]
    print(f"errors: {errors}")
    print(f"p50/p95/p99 (all requests): {total['50%']} / {total['95%']} / {total['99%']} ms")
    print(f"progress reports accepted: {len(result['accepted'])}, refused (form shown again): {result['refused']}, "
          f"missing from the journal: {len(lost)}")
    for what in result["absent"]:
        print(f"not exercised: {what} — not built yet")
    print(f"# finished in {time.monotonic() - started:.0f} s")
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
