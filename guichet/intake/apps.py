from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "guichet.intake"
    verbose_name = _("Mon projet Québec")

    def ready(self) -> None:
        # The CSQ application is a kind of the dossier engine and a purpose of the payments app.
        from guichet.core.views import HOME_NOTICES

        from . import receivers, subscribers  # noqa: F401
        from .kinds.csq import kind as csq  # noqa: F401
        from .kinds.modification import kind as modification  # noqa: F401
        from .views import home_opening

        # The opening day leads from the home page to the waiting room (issue 29).
        HOME_NOTICES.append(home_opening)
        subscribers.connect()
