"""Offer numbers (`A` + 7 digits) never collide under parallel submissions, and an offer is
submitted once however many times it is transmitted at once (PostgreSQL, real connections)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from guichet.core.refusals import Refused
from guichet.dossiers.models import Dossier, DossierEvent, DossierStatus
from guichet.employers.kinds.offer import kind as offers

from .factories import company, gckey_holder, member, offer, offer_data

USERS = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_offers_of_two_companies_get_distinct_consecutive_numbers() -> None:
    """Drafts are numbered in their own series (« BR »); the offer number (`A` + 7 digits) is
    given at transmission, so the drafts left unfinished use none: 24 drafts made at once,
    12 transmitted at once, numbers A0000001 to A0000012."""
    first, second = company(gckey_holder()), company(gckey_holder())
    users = [member(first if n % 2 else second) for n in range(USERS)]
    barrier = threading.Barrier(USERS)

    def create(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            return offers.create(actor=users[n]).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=USERS) as pool:
        drafts = list(pool.map(create, range(USERS)))

    assert all(re.fullmatch(r"BR\d{8}", n) for n in drafts)
    assert len(set(drafts)) == USERS == Dossier.objects.count()
    assert sorted(int(n[2:]) for n in drafts) == list(range(1, USERS + 1))

    exempt = {"fee": "dispense", "fee_exemption_reason": "Exempté"}
    chosen = list(Dossier.objects.order_by("pk"))[::2]
    for dossier in chosen:
        owner = next(u for u in users if u.organisation_id == dossier.owner_organisation_id)
        for key, raw in offer_data().items():
            raw = {**raw, **exempt} if key == "emploi" else raw
            dossier = offers.save_form(dossier=dossier, key=key, raw=raw, actor=owner)
        dossier.data = {**dossier.data, "signature": {"digest": offers.sections_digest(dossier)}}
        dossier.save()
    chosen = [Dossier.objects.get(pk=d.pk) for d in chosen]
    transmitters = [
        next(u for u in users if u.organisation_id == d.owner_organisation_id) for d in chosen
    ]
    barrier = threading.Barrier(len(chosen))

    def transmit(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            return offers.transmit_exempt(dossier=chosen[n], actor=transmitters[n]).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        numbers = list(pool.map(transmit, range(len(chosen))))

    assert all(re.fullmatch(r"A\d{7}", n) for n in numbers)
    assert sorted(int(n[1:]) for n in numbers) == list(range(1, len(chosen) + 1))
    assert Dossier.objects.filter(number__startswith="BR").count() == USERS - len(chosen)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_offer_transmitted_six_times_at_once_is_submitted_once() -> None:
    user = gckey_holder()
    company(user)
    dossier = offer(user, emploi={"fee": "dispense", "fee_exemption_reason": "Exempté"})
    dossier.data = {**dossier.data, "signature": {"digest": offers.sections_digest(dossier)}}
    dossier.save()
    barrier = threading.Barrier(6)

    def transmit(_: int) -> bool:
        try:
            barrier.wait(timeout=30)
            offers.transmit_exempt(dossier=dossier, actor=user)
            return True
        except Refused:
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(transmit, range(6)))

    assert results.count(True) == 1
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrations_transmitting_with_one_pin_at_once_join_once() -> None:
    """Issue 30: one PIN, two people who typed it, both pressing « Transmettre » at once: one
    joins the company, the other is told the PIN was used (the PIN's row is locked)."""
    from guichet.employers import services
    from guichet.employers.models import CompanyPin

    from .factories import registration_at

    made = company()
    pin = services.issue_pin(actor=made.primary_user, email="adjoint@exemple.ca")
    found = services.usable_pin(pin)
    assert found is not None
    people = [gckey_holder() for _ in range(2)]
    for user in people:
        registration = registration_at(user, "transmit")
        registration.has_pin, registration.pin = True, found
        registration.answers_digest = services.answers_digest(registration)
        registration.save(update_fields=["has_pin", "pin", "answers_digest"])
    barrier = threading.Barrier(2)

    def transmit(n: int) -> bool:
        try:
            barrier.wait(timeout=30)
            services.transmit(actor=people[n])
            return True
        except Refused:
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(transmit, range(2)))

    assert sorted(outcomes) == [False, True]
    joined = [
        u for u in people if type(u).objects.get(pk=u.pk).organisation_id == made.organisation_id
    ]
    assert len(joined) == 1
    assert CompanyPin.objects.get().used_by_id == joined[0].pk
