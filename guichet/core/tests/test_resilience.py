"""A `--loop` process rides through a database restart instead of ending."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError

from guichet.core.resilience import loop, until_done


def test_a_lost_database_pauses_the_loop_and_it_goes_on() -> None:
    outcomes: Iterator[Exception | str] = iter(
        [OperationalError("restart"), InterfaceError("closed"), OperationalError("x"), "ok", "ok"]
    )
    results: list[str] = []
    pauses: list[float] = []

    def step() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    failed = loop(step, every=2.0, rounds=5, sleep=pauses.append, on_result=results.append)
    assert failed == 3
    assert results == ["ok", "ok"]
    assert pauses == [1.0, 2.0, 4.0, 2.0]  # backs off while away, then the usual pace


def test_another_error_is_not_hidden() -> None:
    def step() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        loop(step, every=0, rounds=3, sleep=lambda _s: None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_controller_survives_its_connection_killed_under_it() -> None:
    """Its backend terminated (what a restart of PostgreSQL does to it) while it loops: it
    reconnects and its next rounds run."""
    from guichet.waitingroom.services import run_open_rooms

    succeeded: list[float] = []
    errors: list[BaseException] = []
    failures: list[int] = []
    ready = threading.Event()

    def controller() -> None:
        def step() -> dict[str, int]:
            done = run_open_rooms()
            succeeded.append(time.monotonic())
            ready.set()
            return done

        try:
            failures.append(
                loop(step, every=0.05, rounds=40, sleep=lambda s: time.sleep(min(s, 0.2)))
            )
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=controller)
    thread.start()
    assert ready.wait(10)
    killed_at = []
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        killed_at.append(time.monotonic())
        time.sleep(0.3)
    thread.join(30)
    assert not thread.is_alive() and not errors
    assert failures[0] >= 1  # it did lose its connection, and did not end
    assert any(moment > killed_at[-1] for moment in succeeded)  # rounds ran after the last kill


def test_a_worker_that_loses_the_database_is_started_again_until_it_stops_by_itself() -> None:
    runs: list[int] = []
    pauses: list[float] = []

    def worker() -> None:
        runs.append(1)
        if len(runs) < 3:
            raise OperationalError("the database restarted")

    assert until_done(worker, sleep=pauses.append) == 2
    assert (len(runs), pauses) == (3, [1.0, 2.0])
