"""`python -m bench FIGURE…`: some of the in-process figures of `make bench`, on its database.

For measuring one change without the whole run, e.g. `python -m bench dashboard_6400_vs_64_ms
queries_bulletin_1y` (a figure's name as it prints; `python -m bench` alone lists them). The database is
prepared as `make bench` prepares it (BENCH_DATABASE_URL to use another one); BENCH_ROUNDS (5) rounds.
"""

import datetime
import os
import platform
import sys

from bench import environment, figures
from bench.run import Context, _print


def main(names):
    available = {figure.__name__: figure for figure in figures.IN_PROCESS}
    unknown = [name for name in names if name not in available]
    if not names or unknown:
        print(f"unknown figure: {', '.join(unknown)}" if unknown else "figures:", file=sys.stderr)
        print("\n".join(f"  {name}" for name in available), file=sys.stderr)
        return 2
    env = environment.bench_env()
    print(
        f"# python -m bench · {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · "
        f"{os.cpu_count()} CPUs · load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    environment.prepare(env)
    os.environ.update(env)
    import django

    django.setup()
    ctx = Context(rounds=int(os.environ.get("BENCH_ROUNDS", "5")), seconds=0, connections=0)
    failed = False
    for name in names:
        failed |= _print(available[name], ctx)
    print(f"# load average {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
