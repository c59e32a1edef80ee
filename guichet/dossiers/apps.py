from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "guichet.dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # Each dossier type registers itself; the engine knows none of them by name.
        from .kinds.accompagnement import kind  # noqa: F401
