"""Every minute (also beside each `run_worker`): the background tasks whose worker died are made
ready again, and the failed ones due for another try (`core.tasks`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guichet.core.tasks import recover


class Command(BaseCommand):
    help = "Take again the tasks of dead workers and retry the failed ones."

    def handle(self, *args: Any, **options: Any) -> None:
        done = recover()
        self.stdout.write(f"reclaimed: {done['reclaimed']}, retried: {done['retried']}")
