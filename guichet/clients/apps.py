from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "guichet.clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from . import panels, receivers  # noqa: F401  (connects the signal receivers)

        panels.connect()  # « Mon inscription au Service » on the home page
