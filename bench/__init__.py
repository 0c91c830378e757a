"""Benchmarks for the figures the performance issue sets goals for: `python -m bench` (see bench/__main__.py).

Each figure is printed as one JSON line on stdout; progress goes to stderr. The run reports, it does not judge:
the exit code is 0 when goals are missed, non-zero only when a measurement could not be made.
"""
