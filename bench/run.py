"""`make bench`: prints one `name: value` line per figure, with the raw numbers beneath.

Loopback only and bounded in time: BENCH_ROUNDS (5) alternating rounds of BENCH_SECONDS (10)
seconds per side and ratio, against one gunicorn (production settings, PostgreSQL `tieju_bench`,
every request rendered: nothing reuses a page); about 2 × 5 × 2 × 10 s of load, the in-process
figures (the 6,400-requirement rounds, the 10,240-row export and django-import-export's three
10,000-row imports are most of it) and set-up.
"""

import datetime
import os
import platform
import sys
import time
from dataclasses import dataclass, field

from bench import environment, figures, server


@dataclass
class Context:
    rounds: int
    seconds: int
    connections: int
    cookies: dict = field(default_factory=dict)


def _session_cookies(*usernames):
    from django.test import Client

    from teams.models import User

    cookies = {}
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = f"sessionid={client.cookies['sessionid'].value}"
    return cookies


def main():
    started = time.monotonic()
    env = environment.bench_env()
    print(
        f"# make bench · {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · "
        f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    environment.prepare(env)
    os.environ.update(env)
    import django

    django.setup()
    ctx = Context(
        rounds=int(os.environ.get("BENCH_ROUNDS", "5")),
        seconds=int(os.environ.get("BENCH_SECONDS", "10")),
        connections=int(os.environ.get("BENCH_CONNECTIONS", "4")),
        cookies=_session_cookies("water", "admin"),
    )
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    print(
        f"# gunicorn: {workers} sync workers; wrk: 1 thread, {ctx.connections} connections, "
        f"{ctx.seconds} s × {ctx.rounds} alternating rounds per side",
        flush=True,
    )
    failed = False
    with server.Gunicorn(env, workers):
        for figure in figures.SERVED:
            failed |= _print(figure, ctx)
    for figure in figures.IN_PROCESS:
        failed |= _print(figure, ctx)
    # Anything else running on the machine shows here; ratios of alternating rounds resist it, absolute rps do not.
    print(f"# finished in {time.monotonic() - started:.0f} s · load average {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


def _print(figure, ctx):
    try:
        lines = figure(ctx)
    except Exception as exc:  # one broken figure must not hide the others
        print(f"{figure.__name__}: failed ({type(exc).__name__}: {exc})", flush=True)
        return True
    print("\n".join(lines), flush=True)
    return False


if __name__ == "__main__":
    sys.exit(main())
