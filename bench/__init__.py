"""Benchmarks for the figures the performance issue sets goals for: `python -m bench` (see bench/__main__.py).

Each figure is printed as one JSON line on stdout; progress goes to stderr. The run reports, it does not judge:
the exit code is 0 when goals are missed, non-zero only when a measurement could not be made.

The `sync` section and the load test (`python -m bench.load`, `make load`) run a real fx-bureau process on loopback
(bench/bureau.py); see bench/sync.py and bench/load.py for what they measure and how.
"""
