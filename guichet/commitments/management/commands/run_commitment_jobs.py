"""Daily: the clocks of the appointments held, missed, cancelled or moved are settled, then the
commitments' clocks past their due date get their breach recorded (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.commitments.clocks import record_breaches, settle_bookings


class Command(BaseCommand):
    help = "Settle the appointments' clocks and record the breaches of the service commitments."

    def handle(self, *args: Any, **options: Any) -> None:
        stopped, dropped = settle_bookings()
        self.stdout.write(f"appointment clocks stopped: {stopped}, dropped: {dropped}")
        count = record_breaches(today=timezone.localdate())
        self.stdout.write(f"breaches recorded: {count}")
