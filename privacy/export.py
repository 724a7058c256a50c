"""The citizen's data export: a ZIP with ``data.json`` and a short README."""

import io
import json
import zipfile

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from .selectors import personal_data_of

README = """PTSP Kota Tangerang: your personal data (UU 27/2022, art. 7 and 13)

data.json holds, as JSON (times in UTC, ISO 8601):
  account        your account details
  applications   your applications, with answers and status history
  documents      the documents you uploaded (listed; download them from each
                 application's page)
  notifications  the messages we sent you (texts older than the retention
                 period are erased)
  accesses       staff access to your data: role, agency and when
"""


def personal_data_export(*, user) -> tuple[str, bytes]:
    """``(filename, zip bytes)`` of ``user``'s data; records ``privacy.export``
    in the audit trail (no content, only that it happened)."""
    data = personal_data_of(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr(
            "data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
    with transaction.atomic():
        audit_record(action="privacy.export", obj=user)
    stamp = timezone.localdate().isoformat()
    return f"data-pribadi-{stamp}.zip", buffer.getvalue()
