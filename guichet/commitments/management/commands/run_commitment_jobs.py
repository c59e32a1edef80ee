"""Daily: the commitments' clocks past their due date get their breach recorded (once). The
clocks themselves start and stop at the events (`commitments.subscribers`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.commitments.clocks import record_breaches


class Command(BaseCommand):
    help = "Record the breaches of the service commitments."

    def handle(self, *args: Any, **options: Any) -> None:
        count = record_breaches(today=timezone.localdate())
        self.stdout.write(f"breaches recorded: {count}")
