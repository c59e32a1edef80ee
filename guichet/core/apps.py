from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guichet.core"
    verbose_name = _("Noyau")

    def ready(self) -> None:
        import mimetypes

        from django.db.backends.signals import connection_created

        from . import tasks  # noqa: F401 - the task signals: what a task sent is recorded
        from .search import register_sqlite_unaccent

        # A database function, not a business rule: SQLite gets PostgreSQL's unaccent().
        connection_created.connect(register_sqlite_unaccent, dispatch_uid="guichet-unaccent")

        # The waiting room's turn sound: a machine without /etc/mime.types would serve it as
        # application/octet-stream, which some browsers refuse to play.
        mimetypes.add_type("audio/wav", ".wav")
