"""A periodic process that rides through a database restart: a lost connection (the server
restarted, the backend killed, a fail-over) is closed and the step tried again after a growing
pause, instead of ending the process. Every `--loop` command runs its rounds through `loop`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

# What a lost or restarting database raises (psycopg's and SQLite's, wrapped by Django).
LOST = (OperationalError, InterfaceError)
MAX_PAUSE = 30.0


def drop_connections() -> None:
    """Close every connection of this thread: the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # a broken connection may fail to close: it is dropped
            connection.connection = None


def loop(
    step: Callable[[], Any],
    *,
    every: float,
    rounds: int = 0,
    sleep: Callable[[float], None] = time.sleep,
    on_result: Callable[[Any], None] | None = None,
) -> int:
    """Run `step` every `every` seconds (`rounds` times, or forever with 0). A round that
    loses the database is counted, its connections dropped, and the next one waits 1, 2, 4 …
    up to 30 seconds while the database stays away. Returns the number of failed rounds."""
    done = failures = 0
    pause = 0.0
    while True:
        try:
            result = step()
        except LOST as error:
            failures += 1
            drop_connections()
            pause = min(max(pause * 2, 1.0), MAX_PAUSE)
            logger.warning(
                "database unreachable (%s); trying again in %.0f s", type(error).__name__, pause
            )
        else:
            pause = 0.0
            if on_result is not None:
                on_result(result)
        done += 1
        if rounds and done >= rounds:
            return failures
        sleep(pause or every)


def until_done(run: Callable[[], Any], *, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run a long-lived `run` (a worker's own loop) until it returns by itself; when it ends on
    a lost database, drop the connections, wait 1, 2, 4 … 30 s and start it again. Returns the
    number of restarts."""
    restarts = 0
    pause = 0.0
    while True:
        try:
            run()
            return restarts
        except LOST as error:
            restarts += 1
            drop_connections()
            pause = min(max(pause * 2, 1.0), MAX_PAUSE)
            logger.warning(
                "database unreachable (%s); restarting in %.0f s", type(error).__name__, pause
            )
            sleep(pause)
