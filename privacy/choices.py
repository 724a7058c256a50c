from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    """What a staff member opened of a citizen's personal data."""

    APPLICATION = "application", _("Application page")
    DOCUMENT = "document", _("Document download")
    NIK = "nik", _("Full NIK shown")
