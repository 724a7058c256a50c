from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditorConfig(AppConfig):
    name = "auditor"
    verbose_name = _("Auditor workspace")
