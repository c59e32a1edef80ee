from typing import Any

from django.core.management.base import BaseCommand

from guichet.intake.services import run_jobs


class Command(BaseCommand):
    help = (
        "Mon projet Québec: expired waiting-room windows given back, applications unpaid 30 "
        "days after submission deleted (their place released), possible duplicates flagged."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = run_jobs()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in done.items()))
