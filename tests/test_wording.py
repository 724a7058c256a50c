"""Indonesian wording the testers flagged: KBBI spelling *antrean* (never
*antrian*) in the interface, and every officer role named in Indonesian."""

from django.conf import settings
from django.utils import translation

import polib
import pytest

from accounts.choices import OfficerRole
from notifications.events import all_events

PO = settings.BASE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_interface_says_antrean():
    wrong = [e.msgid for e in polib.pofile(str(PO)) if "antrian" in e.msgstr.lower()]
    assert wrong == []
    for event in all_events():
        for text in event.texts["id"]:
            assert "antrian" not in text.lower(), event.name


@pytest.mark.parametrize("role", list(OfficerRole))
def test_officer_roles_are_named_in_indonesian(role):
    with translation.override("id"):
        indonesian = str(role.label)
    with translation.override("en"):
        english = str(role.label)
    assert indonesian != english
