"""Helpers shared by the test suite and the benchmarks (``bench/``): a loopback
SMTP sink, free ports, waiting, and real server processes (Redis, Celery)."""
