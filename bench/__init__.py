"""`make bench`: ratios measured in one run, on loopback, bounded in time (see bench/run.py)."""
