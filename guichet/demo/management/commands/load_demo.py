from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet.demo.services import ACCOUNTS, load_demo_data


class Command(BaseCommand):
    help = "Load (or refresh) the demo data. Idempotent. Refuses to run unless DEBUG is on."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development databases only (set DEBUG=true).")
        counts = load_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['organisations']} organisations, "
                f"{counts['accounts']} accounts."
            )
        )
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.role.label:<40} {account.username} / {account.password}")
