from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "guichet.complaints"
    verbose_name = _("Plaintes et commentaires")

    def ready(self) -> None:
        from guichet.commitments.selectors import VISIBLE
        from guichet.commitments.services import TRAILS

        from . import panels
        from .selectors import complaints_for
        from .trail import record_by_id

        # The clocks of a complaint write to the commissioner's trail (ADR 0022).
        TRAILS["complaints.complaint"] = record_by_id
        # Their clocks are seen by whoever sees the complaint: the commissioner's members.
        VISIBLE["complaints.complaint"] = complaints_for
        # « Donner mon avis » on the pages of the apps below (issue 32).
        panels.connect()
