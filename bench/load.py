"""`make load`: locust headless for 60 s with 10 users, then 60 s with 100, against gunicorn + PostgreSQL on
loopback; a hundred people at once should feel no slower than ten (load_p95_ratio).

Prints, per run and request type, the answers, errors and p50/p95/p99 (exact, from every recorded exchange),
then checks the journal: every progress report the server accepted is there once, on its requirement;
no refused report is; and each touched requirement's versions and journal chain add up. Afterwards
the run's journal entries, requirement changes and sessions are undone, so the next run starts from the
same data. Exits non-zero on any error, any failed check, or a request type not exercised.
"""

import collections
import datetime
import json
import math
import os
import platform
import runpy
import secrets
import subprocess
import sys
import time

from bench import environment, server

USERS = [int(n) for n in os.environ.get("LOAD_USERS", "10,100").split(",")]  # one run each, in this order
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
# What nginx waits for gunicorn before a 504 (proxy_read_timeout in the README); passed to locustfile.py.
TIMEOUT = int(os.environ.get("LOAD_TIMEOUT", "90"))  # seconds
OUT = environment.VAR / "load"
NAMES = ["dashboard (filtered)", "dashboard landing (302)", "requirement page", "progress report", "bulletin"]
# What progress_record changes on a requirement, restored after the run.
REQUIREMENT_FIELDS = ["status", "progress", "version", "updated_at", "updated_by", "reported_through"]


def _production_gunicorn():
    """gunicorn.conf.py's settings on this machine: workers are GUNICORN_WORKERS, else 2 × CPUs + 1."""
    return runpy.run_path(str(environment.ROOT / "gunicorn.conf.py"))


def _accounts():
    """Staff with requirements to report on, each with a fresh session and the requirements they may write."""
    from django.test import Client

    from tasks.models import Requirement
    from teams import roles
    from teams.models import User

    accounts = []
    for user in User.objects.filter(groups__name=roles.STAFF).prefetch_related("departments").order_by("username"):
        writable = list(
            Requirement.objects.active()
            .in_current_breakdown()
            .responsible_for(*user.departments.all())
            .values_list("pk", flat=True)
        )
        if writable:
            client = Client()
            client.force_login(user)
            accounts.append(
                {"username": user.username, "session": client.cookies["sessionid"].value, "writable": writable}
            )
    return accounts


def _filters():
    from tasks.models import Pillar
    from teams.models import Department

    # {} is the bare dashboard, which sends staff on to their department.
    filters = [{}, {}, {"page": 2}, {"sort": "deadline"}, {"status": "in_progress"}, {"q": "水"}]
    filters += [{"pillar": pk} for pk in Pillar.objects.filter(breakdown__is_current=True).values_list("pk", flat=True)]
    filters += [{"department": pk} for pk in Department.objects.active().values_list("pk", flat=True)[:10]]
    return filters


def _bulletin_url():
    """The month page of the latest month with indicator values (not /bulletin/, which only redirects there)."""
    from django.urls import reverse

    from metrics.bulletin import latest_month
    from metrics.models import MonthlyValue

    year, month = latest_month()
    values = MonthlyValue.objects.filter(month=datetime.date(year, month, 1)).count()
    if not values:
        raise SystemExit(f"no indicator values in {year}-{month:02d}: the bulletin would be empty")
    return reverse("metrics:bulletin", args=[f"{year:04d}", f"{month:02d}"]), values


def _url_with_pk(name):
    from django.urls import reverse

    return reverse(name, kwargs={"pk": 987654321}).replace("987654321", "{pk}")


def _percentile(ordered, q):
    """Nearest-rank percentile of an already sorted list."""
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)] if ordered else 0


def _request_lines(exchanges):
    by_name = collections.defaultdict(list)
    for row in exchanges:
        by_name[row[0]].append(row)
    lines = [f"  {'request':<26}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}   answers"]
    for name in [*NAMES, *sorted(set(by_name) - set(NAMES)), "all"]:
        rows = exchanges if name == "all" else by_name[name]
        ms = sorted(row[2] for row in rows)
        answers = collections.Counter(row[1] for row in rows)
        shown = ", ".join(f"{status or 'none'} × {n}" for status, n in sorted(answers.items()))
        lines.append(
            (
                f"  {name:<26}{len(rows):>7}{sum(1 for r in rows if r[3]):>8}"
                f"{_percentile(ms, 0.50):>9.0f}{_percentile(ms, 0.95):>9.0f}{_percentile(ms, 0.99):>9.0f}   "
                + (shown if name != "all" else "")
            ).rstrip()
        )
    return lines, by_name


def _log_lines(path, markers):
    return [line.rstrip() for line in open(path, errors="replace") if any(m in line for m in markers)]


def _journal_check(run, reports, before):
    """Lines describing the journal against what the server answered, and whether all is sound."""
    from tasks.models import JournalEntry, Requirement

    entries = list(
        JournalEntry.objects.filter(note__startswith=f"{run}-")
        .order_by("requirement_id", "created_at", "pk")
        .values("note", "requirement_id", "kind", "status_before", "status_after", "progress_before", "progress_after")
    )
    found = collections.Counter(e["note"] for e in entries)
    where = {e["note"]: (e["requirement_id"], e["kind"]) for e in entries}
    outcome = collections.Counter(o for _pk, o in reports.values())
    accepted = {note: pk for note, (pk, o) in reports.items() if o == "accepted"}
    lost = [n for n, pk in accepted.items() if found[n] != 1 or where[n] != (pk, JournalEntry.Kind.REPORT)]
    refused_written = [n for n, (_pk, o) in reports.items() if o == "conflict" and n in found]
    unconfirmed = [n for n, (_pk, o) in reports.items() if o == "failed" and n in found]
    strangers = [n for n in found if n not in reports]

    # Each report raises the version by one and starts from where the previous one left the requirement.
    by_requirement = collections.defaultdict(list)
    for entry in entries:
        by_requirement[entry["requirement_id"]].append(entry)
    after = {r.pk: r for r in Requirement.objects.filter(pk__in=by_requirement)}
    broken = []
    for pk, chain in by_requirement.items():
        old, new = before[pk], after[pk]
        links = zip(
            [(old.status, old.progress)] + [(e["status_after"], e["progress_after"]) for e in chain],
            [(e["status_before"], e["progress_before"]) for e in chain] + [(new.status, new.progress)],
            strict=False,
        )
        if new.version - old.version != len(chain) or any(a != b for a, b in links):
            broken.append(pk)

    lines = [
        f"progress reports posted: {len(reports)}; accepted (302): {outcome['accepted']}; "
        f"refused as stale (409, intended): {outcome['conflict']}; no or wrong answer: {outcome['failed']}",
        f"journal: {len(accepted) - len(lost)} of {len(accepted)} accepted reports found once on their requirement, "
        f"{len(lost)} missing; refused reports written anyway: {len(refused_written)}; "
        f"written without a confirmation reaching the client: {len(unconfirmed)}; unknown notes: {len(strangers)}",
        f"requirements reported on: {len(by_requirement)}; whose version or status/progress chain does not follow "
        f"their journal: {len(broken)}" + (f" ({', '.join(map(str, sorted(broken)))})" if broken else ""),
    ]
    return lines, not (lost or refused_written or strangers or broken) and outcome["accepted"] > 0


def _restore(run, before, session_keys):
    """Undo the run: its journal entries, the requirements' state, the sessions made for it."""
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from tasks.models import JournalEntry, Requirement

    with transaction.atomic():
        deleted, _ = JournalEntry.objects.filter(note__startswith=f"{run}-").delete()
        Requirement.objects.bulk_update(before.values(), REQUIREMENT_FIELDS)
        Session.objects.filter(session_key__in=session_keys).delete()
    return deleted


def _run_locust(env, workers, result_file, users):
    """Locust against one gunicorn; its output and gunicorn's go to files beside the result."""
    with server.Gunicorn(env, workers, log=OUT / "gunicorn.log"), open(OUT / "locust.log", "w") as log:
        # Users stopped at the end finish the task in hand (at most two requests) rather than being
        # killed mid-request, so every request started is answered or timed out, and counted.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                "bench/locustfile.py",
                "--headless",
                "-u",
                str(users),
                "-r",
                "20",
                "-t",
                f"{SECONDS}s",
                "--stop-timeout",
                str(2 * TIMEOUT + 10),
                "--host",
                f"http://{server.HOST}:{server.PORT}",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=environment.ROOT,
            env=env,
            check=False,
            stdout=log,
            stderr=log,
        )
    if not result_file.exists():
        raise SystemExit(f"locust wrote no result: the load generator failed (see {OUT / 'locust.log'})")
    return json.loads(result_file.read_text())


def _summary(result, run, before):
    """Prints what the run saw and what the journal holds; (nothing went wrong, errors, p95 ms of all requests)."""
    exchanges, reports = result["exchanges"], result["reports"]
    lines, by_name = _request_lines(exchanges)
    print("\n".join(lines))
    # Each dashboard task ends on one filtered page (the landing's redirect leads to one).
    tasks = {
        "dashboard": len(by_name["dashboard (filtered)"]),
        "requirement page + report": len(by_name["requirement page"]),
        "bulletin": len(by_name["bulletin"]),
    }
    print(
        "task mix (weights 70/20/10): "
        + ", ".join(f"{name} {100 * n / max(sum(tasks.values()), 1):.0f} %" for name, n in tasks.items())
    )
    first = min((row[4] for row in exchanges), default=0)
    last = max((row[4] + row[2] / 1000 for row in exchanges), default=1)
    print(
        f"requests/s: {len(exchanges) / (last - first):.1f} ({len(exchanges)} requests in {last - first:.0f} s, "
        "from the first sent to the last answered)"
    )
    errors = [row for row in exchanges if row[3]]
    print(f"errors: {len(errors)}")
    for (name, error), n in collections.Counter((row[0], row[3]) for row in errors).most_common(10):
        print(f"  {n} × {name}: {error}")
    journal_lines, journal_ok = _journal_check(run, reports, before)
    print("\n".join(journal_lines))
    missing = [name for name in NAMES if not by_name[name]]
    for name in missing:
        print(f"not exercised: {name}")
    # Django logs each 4xx as a warning (the 409s among them), each 500 with its traceback;
    # gunicorn logs a worker killed for overrunning its timeout as critical.
    server_problems = _log_lines(OUT / "gunicorn.log", ("Traceback", "Internal Server Error", "[CRITICAL]", "[ERROR]"))
    # Locust warns when its own CPU is saturated, which would make the figures its own.
    generator_problems = _log_lines(OUT / "locust.log", ("/WARNING/", "/ERROR/", "/CRITICAL/", "Traceback"))
    print(
        f"gunicorn log ({OUT / 'gunicorn.log'}): {len(server_problems)} errors or tracebacks; "
        f"locust log ({OUT / 'locust.log'}): {len(generator_problems)} warnings or errors"
    )
    for line in (server_problems + generator_problems)[:10]:
        print(f"  {line}")
    p95 = _percentile(sorted(row[2] for row in exchanges), 0.95)
    return journal_ok and not errors and not missing and not server_problems, len(errors), p95


def main():
    started = time.monotonic()
    env = environment.bench_env()
    # The load generator speaks plain HTTP to gunicorn as nginx would; the cookies must travel over it.
    env.update(SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")
    environment.prepare(env)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from tasks.models import Requirement

    OUT.mkdir(parents=True, exist_ok=True)
    result_file = OUT / "result.json"
    result_file.unlink(missing_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    accounts = _accounts()  # sessions made afresh for each run (each run's are removed after it)
    bulletin_url, bulletin_values = _bulletin_url()
    before = {r.pk: r for r in Requirement.objects.only(*REQUIREMENT_FIELDS)}
    gunicorn = _production_gunicorn()
    print(
        f"# make load · {now:%Y-%m-%d %H:%M} UTC · {platform.node()} · {os.cpu_count()} CPUs · "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    print(
        f"# {' then '.join(map(str, USERS))} users for {SECONDS} s each (think time 0.5–2 s) · gunicorn "
        f"{gunicorn['workers']} sync workers (gunicorn.conf.py's count for this machine), timeout {gunicorn['timeout']} s · "
        f"client timeout {TIMEOUT} s{' (nginx proxy_read_timeout)' if TIMEOUT == 90 else ''} · PostgreSQL {connection.settings_dict['NAME']}",
        flush=True,
    )
    print(
        f"# {len(accounts)} staff accounts with requirements to report on · bulletin {bulletin_url} "
        f"({bulletin_values} indicator values)",
        flush=True,
    )
    ok, errors, p95 = True, {}, {}
    for users in USERS:
        run = f"load-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
        result_file.unlink(missing_ok=True)
        if users != USERS[0]:
            accounts = _accounts()
        print(f"## {users} users · run {run}", flush=True)
        load_env = dict(
            env,
            LOAD_ACCOUNTS=json.dumps(accounts),
            LOAD_FILTERS=json.dumps(_filters()),
            LOAD_REQUIREMENT_URL=_url_with_pk("tasks:requirement-detail"),
            LOAD_REPORT_URL=_url_with_pk("tasks:requirement-report"),
            LOAD_BULLETIN_URL=bulletin_url,
            LOAD_RUN=run,
            LOAD_TIMEOUT=str(TIMEOUT),
            LOAD_RESULT_FILE=str(result_file),
        )
        try:
            run_ok, errors[users], p95[users] = _summary(
                _run_locust(load_env, gunicorn["workers"], result_file, users), run, before
            )
            ok &= run_ok
        finally:
            deleted = _restore(run, before, [a["session"] for a in accounts])
            print(
                f"# undone: {deleted} journal entries of this run, requirements restored, sessions removed", flush=True
            )
    low, high = USERS[0], USERS[-1]
    print(f"load_errors: {sum(errors.values())}")
    print("  raw errors per run: " + ", ".join(f"{users} users {n}" for users, n in errors.items()) + "; goal 0")
    print(f"load_p95_ms: {p95[high]:.0f}")
    print(f"load_p95_ratio: {p95[high] / max(p95[low], 1):.2f}")
    print(
        "  raw p95 of all requests: "
        + ", ".join(f"{users} users {ms:.0f} ms" for users, ms in p95.items())
        + f"; ratio {high} over {low} users; goal ≤ 3"
    )
    print(f"# finished in {time.monotonic() - started:.0f} s · load average {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
