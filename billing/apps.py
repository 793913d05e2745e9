from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Facturation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.models import Household
        from services.models import Enrolment

        from . import checks  # noqa: F401 (registers the system checks)
        from .quotients import on_household_saved
        from .stays import on_enrolment_saved

        # The billing keeps its own history of each household's family quotient.
        post_save.connect(on_household_saved, sender=Household, dispatch_uid="billing_quotient_history")
        # A stay paid when booked is invoiced on its own (billing.stays).
        post_save.connect(on_enrolment_saved, sender=Enrolment, dispatch_uid="billing_stay_invoices")
