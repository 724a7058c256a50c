from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PtspConfig(AppConfig):
    name = "ptsp"
    verbose_name = _("PTSP portal")

    def ready(self) -> None:
        from django.db.models import fields

        from . import checks  # noqa: F401  (registers system checks)

        # The empty choice of every select (model forms, ModelChoiceField):
        # Django 6.1's own label has no Indonesian translation yet, so it is
        # declared here to go through our catalogue ("- Pilih salah satu -").
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
