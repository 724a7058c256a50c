"""Benchmarks of the portal against raw baselines in the same run (issue 17).

``python -m bench`` (``make bench``) prepares a benchmark database, runs every
scenario in ``bench.scenarios`` (the portal's path and a raw baseline
interleaved, A B A B …) and writes ``BENCHMARKS.md``; ``--smoke`` runs them all
at tiny sizes, asserting nothing about speed (``make bench-smoke``, in CI).
``bench/worktime_bench.py`` still runs on its own, without Django.
"""
