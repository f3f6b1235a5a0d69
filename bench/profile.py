"""Where a page's time goes: `python -m bench.profile [path] [username]` (after `make bench` set up its database).

Renders the page in-process with the bench settings under pyinstrument and prints the call tree.
"""

import os
import sys
import time

from bench import environment


def main(path="/", username="water", repeat=20):
    os.environ.update(environment.bench_env())
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    from teams.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    assert client.get(path, secure=True).status_code == 200
    started = time.perf_counter()
    with Profiler(interval=0.0005) as profiler:
        for _ in range(repeat):
            client.get(path, secure=True)
    print(f"{path} as {username}: {(time.perf_counter() - started) / repeat * 1000:.1f} ms per request (profiled)")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
