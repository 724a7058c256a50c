"""Django's own messages that our catalogue translates instead of Django's.

``LOCALE_PATHS`` is merged over Django's catalogues, so an entry in
``locale/id/LC_MESSAGES/django.po`` with the same msgid wins. ``makemessages``
only keeps msgids it finds in our sources, so each override is declared here
(never called: ``gettext_noop`` only marks them).

- The unique checks: Django's Indonesian says "telah ada" for one field and
  "ini tidak ada" ("does not exist") for several.
"""

from django.utils.translation import gettext_noop

OVERRIDES = (
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
)
