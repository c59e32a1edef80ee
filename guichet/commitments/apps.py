from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "guichet.commitments"
    verbose_name = _("Engagements de services")

    def ready(self) -> None:
        # The clocks follow the event log (ADR 0023): no save hook on another app's model.
        from . import panels, subscribers

        subscribers.connect()
        # The due dates on the pages of the apps below (issue 32).
        panels.connect()
