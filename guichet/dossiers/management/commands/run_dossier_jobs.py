from typing import Any

from django.core.management.base import BaseCommand

from guichet.dossiers import services


class Command(BaseCommand):
    help = "Warn owners of drafts near their deadline, then delete drafts past it (cron: daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        warned = services.warn_drafts()
        purged = services.purge_expired_drafts()
        self.stdout.write(f"dossiers: {warned} warning(s) sent, {purged} expired draft(s) deleted")
