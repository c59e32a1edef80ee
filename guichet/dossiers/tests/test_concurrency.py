"""Dossier numbers never collide; one person never gets two open dossiers of a type
(PostgreSQL, real parallel connections)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection

from guichet.core.refusals import Refused
from guichet.dossiers import services
from guichet.dossiers.kinds.accompagnement import casework
from guichet.dossiers.kinds.accompagnement.kind import ACCOMPAGNEMENT_QUEBEC
from guichet.dossiers.models import Dossier

from .factories import agent, with_profile

PEOPLE = 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forty_simultaneous_creations_get_forty_distinct_consecutive_numbers() -> None:
    owners = [with_profile() for _ in range(PEOPLE)]
    barrier = threading.Barrier(PEOPLE)

    def create(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            dossier = services.create(
                kind=ACCOMPAGNEMENT_QUEBEC, actor=owners[n], answers={"document": "csq"}
            )
            return dossier.number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        numbers = list(pool.map(create, range(PEOPLE)))

    assert len(set(numbers)) == PEOPLE == Dossier.objects.count()
    assert sorted(int(n[3:]) for n in numbers) == list(range(1, PEOPLE + 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_person_creating_twice_at_once_gets_one_dossier() -> None:
    owner = with_profile()
    barrier = threading.Barrier(6)

    def create(_: int) -> bool:
        try:
            barrier.wait(timeout=30)
            services.create(kind=ACCOMPAGNEMENT_QUEBEC, actor=owner, answers={"document": "csq"})
            return True
        except (Refused, IntegrityError):
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(create, range(6)))
    assert results.count(True) == 1
    assert Dossier.objects.filter(owner=owner).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_agents_and_clients_opening_dossiers_at_once_share_one_sequence() -> None:
    owners = [with_profile() for _ in range(10)]
    aai = agent()
    barrier = threading.Barrier(20)

    def work(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            if n < 10:
                return services.create(
                    kind=ACCOMPAGNEMENT_QUEBEC, actor=owners[n], answers={"document": "caq"}
                ).number
            return services.open_for_person(
                kind=ACCOMPAGNEMENT_QUEBEC,
                first_name="A",
                last_name=f"B{n}",
                sex="F",
                birth_date=owners[0].personal_profile.birth_date,
                actor=aai,
            ).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(work, range(20)))
    assert len(set(numbers)) == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_job_runs_send_each_agent_meeting_reminder_once() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from guichet.messaging.models import Message

    from .factories import submitted

    dossier = submitted()
    aai = agent()
    for hours in (5, 10, 20):
        casework.schedule_appointment(
            dossier=dossier,
            starts_at=timezone.now() + timedelta(hours=hours),
            mode="virtual",
            place=None,
            details="",
            actor=aai,
        )
    before = Message.objects.count()
    barrier = threading.Barrier(4)

    def run(_: int) -> int:
        try:
            barrier.wait(timeout=30)
            return casework.remind_agent_appointments()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(run, range(4)))
    assert sum(counts) == 3
    assert Message.objects.count() - before == 3
