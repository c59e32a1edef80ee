"""Issue 29 on PostgreSQL with real parallel connections: 500 candidates with three tries each,
some of them duplicates of others, some empty accounts, some whose application was already
submitted, go through the waiting room against 200 places while the controller admits. Exactly
200 applications are submitted within the quota, and a sampler watching the reservations during
the run never sees a place held by an account that could not submit."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from guichet.accounts.models import User
from guichet.accounts.tests.factories import PASSWORD
from guichet.core.refusals import Refused
from guichet.demo.intake_data import example_application
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.intake import services as intake
from guichet.intake.identity import keys_of
from guichet.intake.kinds.csq import kind as csq
from guichet.intake.models import (
    Application,
    Category,
    IntakePeriod,
    Place,
    Reservation,
    ReservationStatus,
)
from guichet.intake.tests.factories import ANSWERS, bulk_candidates, period
from guichet.waitingroom import services
from guichet.waitingroom.models import Room, RoomStatus, Ticket, TicketStatus

QUOTA = 200
READY, TWINS, EMPTY, FINISHED = 380, 40, 40, 40  # 500 candidates
TRIES = 3
WORKERS = 40
DEADLINE_SECONDS = 240


@pytest.fixture
def controller_only(quiet_tasks: None, settings: Any) -> None:
    """The intake's quiet tasks, and the rounds run by the controller thread only."""
    settings.WAITING_ROOM_ADMIT_ON_POLL = False


def _letters(n: int) -> str:
    return "".join(chr(65 + (n // 26**k) % 26) for k in range(3))


def _crowd(opened: IntakePeriod) -> dict[str, list[User]]:
    now = timezone.now()
    users = bulk_candidates(READY + TWINS + EMPTY + FINISHED, "foule", email_verified_at=now)
    ready, twins = users[:READY], users[READY : READY + TWINS]
    empty, finished = users[READY + TWINS : READY + TWINS + EMPTY], users[READY + TWINS + EMPTY :]
    today = timezone.localdate()

    def identity(n: int) -> dict[str, Any]:
        return example_application(passport=f"F{n:08d}", last_name=f"Foule{_letters(n)}")

    made: list[tuple[User, dict[str, Any], str]] = []
    for n, user in enumerate(ready):
        made.append((user, identity(n), DossierStatus.DRAFT))
    for n, user in enumerate(twins):  # the same person as a ready one, typed again
        made.append((user, identity(n * 7), DossierStatus.DRAFT))
    for n, user in enumerate(finished):
        made.append((user, identity(10_000 + n), DossierStatus.SUBMITTED))
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            number=f"Q{today.year % 100:02d}{n + 1:08d}",
            number_prefix="Q",
            number_digits=10,
            kind=csq.CODE,
            owner=user,
            deadline=today + timedelta(days=90),
            data=data,
            status=status,
            submitted_at=now if status == DossierStatus.SUBMITTED else None,
        )
        for n, (user, data, status) in enumerate(made)
    )
    Application.objects.bulk_create(
        Application(
            dossier=dossier,
            identity_key=keys_of(dossier.data["requerant"]).exact,
            queue_ready=dossier.status == DossierStatus.DRAFT,
            # Already submitted in this period (outside the quota: they hold no place).
            counted=dossier.status == DossierStatus.SUBMITTED,
            category=Category.JOB_OFFER if dossier.status == DossierStatus.SUBMITTED else "",
            period=opened if dossier.status == DossierStatus.SUBMITTED else None,
        )
        for dossier in dossiers
    )
    return {"ready": ready, "twins": twins, "empty": empty, "finished": finished}


def _candidate(user: User, room: Room, start: threading.Event, stop: float) -> list[str]:
    """Three tries at « Se connecter »; once in, poll until the turn, then three tries at
    « Soumettre »."""
    outcome: list[str] = []
    try:
        start.wait(timeout=60)
        ticket = None
        for _ in range(TRIES):
            try:
                ticket = services.join(actor=user, room=room)
                break
            except Refused as refusal:
                outcome.append(f"join:{refusal.code}")
        if ticket is None:
            return outcome
        while time.monotonic() < stop:
            ticket.refresh_from_db()
            services.standing(ticket)  # a poll: the candidate is there
            if ticket.status != TicketStatus.WAITING:
                break
            time.sleep(0.5)
        if ticket.status != TicketStatus.ADMITTED:
            outcome.append(f"ticket:{ticket.status}")
            return outcome
        dossier = Dossier.objects.get(owner=user, kind=csq.CODE)
        for _ in range(TRIES):
            try:
                row = intake.submit(
                    dossier=dossier,
                    actor=user,
                    user_code=user.username,
                    password=PASSWORD,
                    answers=dict(ANSWERS),
                )
                outcome.append(f"submitted:{row.status}")
                break
            except Refused as refusal:
                outcome.append(f"submit:{refusal.code}")
        return outcome
    finally:
        connection.close()


controller_errors: list[str] = []


def _controller(opened: IntakePeriod, done: threading.Event) -> None:
    """The controller's loop as `run_waiting_room --loop` runs it (a lost round is retried)."""
    from django.db.utils import OperationalError

    try:
        while not done.is_set():
            try:
                services.admit(period=opened)
            except OperationalError as error:
                controller_errors.append(str(error).splitlines()[0])
                connection.close()
            time.sleep(0.1)
    finally:
        connection.close()


def _held_by_those_who_cannot_submit() -> set[int]:
    """In one snapshot: the holders of live reservations who have no confirmed email, no draft
    to submit, or whose person is already counted (by a twin's submission)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        holders = list(
            Reservation.objects.filter(status=ReservationStatus.ACTIVE).values_list(
                "user_id", flat=True
            )
        )
        if not holders:
            return set()
        drafts = dict(
            Application.objects.filter(
                dossier__owner_id__in=holders,
                dossier__status=DossierStatus.DRAFT,
                dossier__owner__email_verified_at__isnull=False,
            ).values_list("dossier__owner_id", "identity_key")
        )
        counted = set(
            Application.objects.filter(
                counted=True, identity_key__in=list(drafts.values())
            ).values_list("identity_key", flat=True)
        )
    return {user for user in holders if user not in drafts or drafts[user] in counted}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_500_candidates_through_the_room_take_exactly_200_places_none_held_in_vain(
    controller_only: None,
) -> None:
    opened = period(quota=QUOTA, waiting_room=True)
    room = services.room_of(opened)
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.OPEN, capacity=60)
    room.refresh_from_db()
    crowd = _crowd(opened)
    everyone = [user for group in crowd.values() for user in group]
    import random

    random.Random(29).shuffle(everyone)

    start, done = threading.Event(), threading.Event()
    samples: list[int] = []

    # When each place held in vain was first and last seen: a twin's place goes back right
    # after the commit that counted the person (which may wait for the period's row), never
    # at its window's end.
    first_seen: dict[int, float] = {}
    last_seen: dict[int, float] = {}

    def sampler() -> None:
        try:
            while not done.is_set():
                found = _held_by_those_who_cannot_submit()
                moment = time.monotonic()
                for user_id in found:
                    first_seen.setdefault(user_id, moment)
                    last_seen[user_id] = moment
                samples.append(len(found))
                time.sleep(0.1)
        finally:
            connection.close()

    watchers = [
        threading.Thread(target=_controller, args=(opened, done)),
        threading.Thread(target=sampler),
    ]
    for thread in watchers:
        thread.start()
    stop = time.monotonic() + DEADLINE_SECONDS
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = {
                user.pk: pool.submit(_candidate, user, room, start, stop) for user in everyone
            }
            start.set()
            outcomes = {pk: future.result() for pk, future in futures.items()}
    finally:
        done.set()
        for thread in watchers:
            thread.join(30)

    opened.refresh_from_db()
    within = Application.objects.filter(period=opened, category=Category.QUOTA, counted=True)
    assert within.count() == QUOTA == opened.taken
    assert Place.objects.filter(period=opened).count() == QUOTA
    assert opened.taken + opened.reserved <= opened.quota
    # No place held by an account that could not submit (sampled all along): none at all for
    # the empty, unconfirmed or finished accounts; a counted twin's for a moment at most.
    assert len(samples) >= 10
    held = {user: last_seen[user] - first_seen[user] for user in first_seen}
    twin_ids = {user.pk for user in crowd["twins"]} | {user.pk for user in crowd["ready"]}
    assert set(held) <= twin_ids, held
    assert all(seconds < 5 for seconds in held.values()), held
    # The empty and the finished accounts got no number at all, on any try.
    for group, code in (("empty", "join:no_application"), ("finished", "join:already_submitted")):
        ids = {user.pk for user in crowd[group]}
        assert not Ticket.objects.filter(user_id__in=ids).exists()
        assert all(outcomes[pk] == [code] * TRIES for pk in ids)
    # One person, one counted application: a twin is set aside or never admitted.
    assert (
        Application.objects.filter(counted=True).values("identity_key").distinct().count()
        == Application.objects.filter(counted=True).count()
    )
    # The quota's rows are always locked in one order: no round lost to a deadlock.
    assert not controller_errors, controller_errors[:3]
    codes = Counter(code for outcome in outcomes.values() for code in outcome)
    assert not any(code.startswith("submit:") and code != "submit:quota_reached" for code in codes)
