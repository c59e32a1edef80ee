from typing import Any

from django.core.management.base import BaseCommand

from guichet.dossiers import services
from guichet.dossiers.kinds.accompagnement import casework


class Command(BaseCommand):
    help = (
        "Remind people of their meeting with the agent, warn owners of drafts near their "
        "deadline, then delete drafts past it (cron: every 5 minutes, like the appointments)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = casework.remind_agent_appointments()
        warned = services.warn_drafts()
        purged = services.purge_expired_drafts()
        self.stdout.write(
            f"dossiers: {reminded} reminder(s), {warned} warning(s) sent, "
            f"{purged} expired draft(s) deleted"
        )
