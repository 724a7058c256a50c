"""Writes to the catalogue. Every change is audited with who and why.

Entry points (``durable=True``) own their transaction; the ``_``-prefixed inner
functions are for callers already inside one (the admin, other services).
"""

from .catalogue import (
    VERSION_FIELDS,
    _service_sla_confirm,
    _service_update,
    _service_version_create,
    service_sla_confirm,
    service_update,
    service_version_create,
)
from .holidays import HolidayImportReport, _holidays_import, holidays_import
from .loading import LoadReport, catalogue_apply
from .records import record_change, record_deletion

__all__ = [
    "VERSION_FIELDS",
    "HolidayImportReport",
    "LoadReport",
    "_holidays_import",
    "_service_sla_confirm",
    "_service_update",
    "_service_version_create",
    "catalogue_apply",
    "holidays_import",
    "record_change",
    "record_deletion",
    "service_sla_confirm",
    "service_update",
    "service_version_create",
]
