from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "guichet.commitments"
    verbose_name = _("Engagements de services")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from guichet.appointments.models import Booking
        from guichet.dossiers.models import Dossier
        from guichet.intake.models import Application
        from guichet.messaging.models import Message

        from . import signals

        post_save.connect(
            signals.on_message, sender=Message, dispatch_uid="commitments-email-answer"
        )
        post_save.connect(signals.on_dossier, sender=Dossier, dispatch_uid="commitments-dossier")
        post_save.connect(
            signals.on_application, sender=Application, dispatch_uid="commitments-application"
        )
        post_save.connect(signals.on_booking, sender=Booking, dispatch_uid="commitments-booking")
        post_delete.connect(
            signals.on_dossier_deleted, sender=Dossier, dispatch_uid="commitments-dossier-gone"
        )
