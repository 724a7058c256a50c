"""Service level agreements (*SLA*, *waktu penyelesaian layanan*): working time,
deadlines, clock pauses.

``sla.worktime`` is the pure calculator (no Django, no database). The ledger models,
sweeps and warnings of issue 9 build on it.
"""
