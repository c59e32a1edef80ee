from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from guichet.core.resilience import until_done


class Command(BaseCommand):
    help = (
        "The background tasks' worker (django-tasks-db's db_worker), started again after a lost "
        "database (restart, fail-over) instead of ending: the emails and PDFs of an opening day "
        "keep going out. Stops when the worker stops by itself (SIGTERM, --batch)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="stop once the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--batch"] if options["batch"] else []
        restarts = until_done(lambda: call_command("db_worker", *extra))
        if restarts:
            self.stderr.write(f"worker restarted after a lost database: {restarts}")
