from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Fees and payments")

    def ready(self) -> None:
        from permits import services as permits_services

        from . import permissions  # noqa: F401  (registers the rules)
        from .selectors import unpaid_bill_refusal

        if unpaid_bill_refusal not in permits_services.APPLICANT_STEP_GUARDS:
            permits_services.APPLICANT_STEP_GUARDS.append(unpaid_bill_refusal)
