from typing import Any

from django.core.management.base import BaseCommand

from guichet.payments import services


class Command(BaseCommand):
    help = (
        "Settle card payments still open after their time to pay: ask the provider, record a "
        "late success, otherwise cancel at the provider and record the time-out (cron: every "
        "5 minutes; safe on several machines at once); send again the card refunds the "
        "provider did not answer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        settled = services.settle_stuck()
        self.stdout.write(f"payments: {settled} attempt(s) settled")
        refunded = services.retry_refunds()
        self.stdout.write(f"payments: {refunded} pending refund(s) sent")
