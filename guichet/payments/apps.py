from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "guichet.payments"
    verbose_name = _("Paiements")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the payment settings' checks
