from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "guichet.employers"
    verbose_name = _("Portail des employeurs")

    def ready(self) -> None:
        # The job offer is a kind of the dossier engine and a purpose of the payments app.
        from .kinds.offer import kind  # noqa: F401
