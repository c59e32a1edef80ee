import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from guichet.core import tasks
from guichet.core.resilience import until_done

logger = logging.getLogger(__name__)


def _recovering(stop: threading.Event) -> None:
    """Beside the worker: every TASK_RECOVERY_SECONDS, the tasks of dead workers and the failed
    ones due again are made ready (`core.tasks`); a lost database is waited out."""
    while not stop.wait(settings.TASK_RECOVERY_SECONDS):
        try:
            tasks.recover()
        except Exception:
            logger.exception("task recovery failed; trying again later")
        finally:
            connection.close()


class Command(BaseCommand):
    help = (
        "The background tasks' worker (django-tasks-db's db_worker), started again after a lost "
        "database (restart, fail-over) instead of ending: the emails and PDFs of an opening day "
        "keep going out. Stops when the worker stops by itself (SIGTERM, --batch). Beside it, "
        "the tasks of dead workers are taken again and failed ones retried (core.tasks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="stop once the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--batch"] if options["batch"] else []
        stop = threading.Event()
        recovery = threading.Thread(target=_recovering, args=(stop,), daemon=True)
        recovery.start()
        try:
            restarts = until_done(lambda: call_command("db_worker", *extra))
        finally:
            stop.set()
        if restarts:
            self.stderr.write(f"worker restarted after a lost database: {restarts}")
