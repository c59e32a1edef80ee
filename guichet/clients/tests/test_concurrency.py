"""Client numbers never collide, whatever the concurrency (PostgreSQL, real connections)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection

from guichet.accounts.tests.factories import UserFactory
from guichet.clients import services
from guichet.clients.models import Client, ImmigrationStatus, Locality
from guichet.numbering.services import SequenceExhausted, next_value

PEOPLE = 50


def registration_data(n: int, status: int, locality: int) -> dict[str, object]:
    return {
        "status": status,
        "status_granted_on": date(2020, 1, 1),
        "last_name": f"Nom{n}",
        "first_name": "Prénom",
        "birth_date": date(1990, 1, 1),
        "sex": "F",
        "cic_client_id": f"{10000000 + n}",
        "email": f"personne{n}@example.org",
        "street_number": "1",
        "street": "Rue Principale",
        "locality": locality,
        "postal_code": "H2X 2S5",
        "phone_home": "514 864-9191",
        "french_sufficient": True,
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_get_fifty_distinct_numbers() -> None:
    status = ImmigrationStatus.objects.get(code="permanent_resident").pk
    locality = Locality.objects.get(name="Montréal").pk
    users = [UserFactory.create(email=f"personne{n}@example.org") for n in range(PEOPLE)]
    barrier = threading.Barrier(PEOPLE)

    def register(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            client = services.register_client(
                actor=users[n], data=registration_data(n, status, locality)
            )
            return client.client_number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        numbers = list(pool.map(register, range(PEOPLE)))

    assert len(set(numbers)) == PEOPLE
    assert Client.objects.count() == PEOPLE
    assert sorted(int(n) for n in numbers) == list(range(10001, 10001 + PEOPLE))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_identifier_registered_twice_at_once_is_refused_once() -> None:
    status = ImmigrationStatus.objects.get(code="permanent_resident").pk
    locality = Locality.objects.get(name="Montréal").pk
    users = [UserFactory.create() for _ in range(2)]
    barrier = threading.Barrier(2)

    def register(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            data = {**registration_data(7, status, locality), "last_name": f"Homonyme{n}"}
            return services.register_client(actor=users[n], data=data).client_number
        except (services.AlreadyRegistered, services.IdentityMismatch):
            # Together, the unique identifier refuses the second (AlreadyRegistered); when one
            # thread runs late, the first's record is already there under another name
            # (IdentityMismatch). Either way, one is refused.
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(register, range(2)))
    assert outcomes[1] == "refused" and outcomes[0] != "refused"
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_a_sequence_counts_within_its_range_and_says_when_exhausted() -> None:
    assert [next_value("essai", first=5, last=7) for _ in range(3)] == [5, 6, 7]
    with pytest.raises(SequenceExhausted):
        next_value("essai", first=5, last=7)
