"""`python -m bench.import_child FILE`: a fresh import of FILE in a process of its own, rolled back.

Run by `bench.figures.import_peak_rss_mb` (through a wrapper that reads RUSAGE_CHILDREN), so the
peak resident size is the import's and not the bench's. Prints one JSON line.
"""

import json
import os
import sys
from pathlib import Path

from bench import environment


def main(path):
    if "TIEJU_BENCH" not in os.environ:  # run by hand: the bench's database and settings
        os.environ.update(environment.bench_env())
    import django

    django.setup()
    from bench.figures import _fresh_import

    result = _fresh_import(Path(path).read_bytes())
    print(json.dumps({k: result[k] for k in ("rows", "import_seconds", "peak_rss_mb")}))


if __name__ == "__main__":
    main(sys.argv[1])
