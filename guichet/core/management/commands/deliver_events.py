"""Every minute: the events whose after-commit delivery was lost (a process stopped between a
commit and its delivery) are delivered to their subscribers, each handler once
(`core.events.catch_up`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guichet.core.events import catch_up


class Command(BaseCommand):
    help = "Deliver the events whose delivery after commit was lost."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"handlers run: {catch_up()}")
