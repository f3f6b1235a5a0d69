"""`python -m bench.import_child FILE [ROUNDS]`: fresh imports of FILE in a process of its own, rolled back.

Run by `bench.figures.import_peak_rss_mb` (through a wrapper that reads RUSAGE_CHILDREN), so the
peak resident size is the import's and not the bench's, and by `import_10k_vs_openpyxl_read_sqlite`
with DATABASE_URL naming a SQLite file. Prints one JSON line.
"""

import json
import os
import sys
from pathlib import Path

from bench import environment


def main(path, rounds=1):
    if "TIEJU_BENCH" not in os.environ:  # run by hand: the bench's database and settings
        os.environ.update(environment.bench_env())
    import django

    django.setup()
    from bench.figures import _fresh_import

    data = Path(path).read_bytes()
    results = [_fresh_import(data) for _ in range(int(rounds))]
    output = {k: results[0][k] for k in ("rows", "import_seconds", "peak_rss_mb")}
    output["rounds"] = [{k: r[k] for k in ("import_seconds", "openpyxl_read_seconds", "ratio")} for r in results]
    print(json.dumps(output))


if __name__ == "__main__":
    main(*sys.argv[1:])
