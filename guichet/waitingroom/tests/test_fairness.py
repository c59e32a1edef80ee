"""Issue 29: nobody holds a place of the quota who cannot use it — an empty, unverified,
finished or look-alike account — and a reservation ends the moment its holder can no longer
submit, never later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.tests.test_profile import STEP1, STEP2, create_profile
from guichet.core.refusals import Refused
from guichet.dossiers.models import DossierStatus
from guichet.intake import quota
from guichet.intake import services as intake
from guichet.intake.models import Application, IntakePeriod, Reservation, ReservationStatus
from guichet.intake.tests.factories import (
    application,
    candidate,
    credentials,
    period,
    queuer,
    submitted,
)
from guichet.waitingroom import services
from guichet.waitingroom.models import RoomStatus, Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def _open_room(quota_: int = 10, capacity: int = 3):
    room = services.room_of(period(quota=quota_, waiting_room=True))
    room.status = RoomStatus.OPEN
    room.capacity = capacity
    room.save()
    return room


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refusal(user, room) -> str:
    with pytest.raises(Refused) as refused:
        services.join(actor=user, room=room)
    return refused.value.code


def test_an_empty_an_unverified_a_finished_or_an_incomplete_account_gets_no_number() -> None:
    room = _open_room()
    assert _refusal(candidate(), room) == "no_application"
    unverified = candidate(email_verified_at=None)
    application(unverified)
    assert _refusal(unverified, room) == "email_not_verified"
    incomplete = candidate()
    dossier = application(incomplete)
    dossier.data = {**dossier.data, "langues": {}}
    dossier.save(update_fields=["data"])
    assert _refusal(incomplete, room) == "incomplete"
    assert Ticket.objects.count() == 0


def test_a_finished_account_pressing_se_connecter_is_refused_and_told_why() -> None:
    room = _open_room()
    done = candidate()
    dossier = application(done)
    dossier.status = DossierStatus.SUBMITTED  # submitted already (demoCandidat2's case)
    dossier.submitted_at = timezone.now()
    dossier.save(update_fields=["status", "submitted_at"])
    client = _signed_in(done)
    page = client.get(reverse("waitingroom:room")).content.decode().replace("&#x27;", "'")
    assert "Votre demande a déjà été soumise" in page
    assert ">Se connecter</button>" not in page
    client.post(reverse("waitingroom:room"))
    assert Ticket.objects.count() == 0
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 0


def test_the_room_says_what_is_missing_with_a_link_before_se_connecter() -> None:
    _open_room()
    user = candidate(email_verified_at=None)
    dossier = application(user)
    dossier.data = {**dossier.data, "autonomie": {}}
    dossier.save(update_fields=["data"])
    page = _signed_in(user).get(reverse("waitingroom:room")).content.decode()
    page = page.replace("&#x27;", "'")
    assert "Votre adresse courriel n'est pas confirmée" in page
    assert reverse("accounts:email_verification") in page
    assert "La section « Autonomie financière » n'est pas complétée." in page
    assert reverse("intake:section", kwargs={"section_key": "autonomie"}) in page
    assert ">Se connecter</button>" not in page
    ready = _signed_in(queuer()).get(reverse("waitingroom:room")).content.decode()
    assert ">Se connecter</button>" in ready


def test_fifteen_profiles_from_one_address_are_stopped_after_the_limit(settings) -> None:
    settings.PROFILES_PER_IP = 5
    created = 0
    for n in range(15):
        code = f"Robot{n:03d}abc"
        step1 = {**STEP1, "user_code": code, "user_code_confirm": code}
        email = f"robot{n}@example{n}.org"
        step2 = {**STEP2, "email": email, "email_confirm": email}
        response = create_profile(Client(REMOTE_ADDR="203.0.113.9"), step1, step2)
        if response.status_code == 302:
            created += 1
        else:
            assert response.status_code == 429
            assert "Trop de profils de consultation" in response.content.decode()
    assert created == 5


def test_a_burst_of_profiles_for_one_email_domain_is_stopped(settings) -> None:
    settings.PROFILES_PER_DOMAIN = 3
    statuses = []
    for n in range(5):
        code = f"Burst{n:03d}abc"
        step1 = {**STEP1, "user_code": code, "user_code_confirm": code}
        email = f"burst{n}@jetable.example"
        step2 = {**STEP2, "email": email, "email_confirm": email}
        statuses.append(
            create_profile(Client(REMOTE_ADDR=f"198.51.100.{n}"), step1, step2).status_code
        )
    assert statuses == [302, 302, 302, 429, 429]


def test_a_new_profile_is_sent_a_link_that_confirms_its_email(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    from guichet.accounts.models import User

    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert create_profile(client).status_code == 302
    user = User.objects.get(username=STEP1["user_code"])
    assert user.email_verified_at is None
    message = mailoutbox[-1]
    assert message.to == [STEP2["email"]]
    link = next(word for word in message.body.split() if "/confirmer/" in word)
    assert STEP1["user_code"] not in message.body and "Nairobi" not in message.body
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + path).status_code == 200  # a scanner's GET confirms nothing
    user.refresh_from_db()
    assert user.email_verified_at is None
    Client().post("/" + path)
    user.refresh_from_db()
    assert user.email_verified_at is not None
    # A link for an address the account no longer has confirms nothing.
    user.email_verified_at = None
    user.email = "autre@example.org"
    user.save()
    assert Client().post("/" + path).status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_look_alike_letter_is_the_same_person_and_is_set_aside() -> None:
    """« Je\u0251n » with a Latin alpha passes the passport-name check (it is a Latin letter) but
    folds to the same skeleton as « Jean »: the second application is set aside."""
    IntakePeriod.objects.update(waiting_room=False)
    period(quota=10)
    one = candidate()
    submitted(one, first_name="Jean", last_name="Tremblay", passport="AB1234567")
    two = candidate()
    dossier = application(two, first_name="Je\u0251n", last_name="TREMBLAY", passport="ab1234567")
    row = intake.submit(dossier=dossier, actor=two, **credentials(two))
    assert row.status == DossierStatus.SET_ASIDE
    assert Application.objects.filter(counted=True).count() == 1


def test_a_cyrillic_name_stored_before_is_folded_by_the_nightly_job() -> None:
    from guichet.intake.identity import keys_of

    period(quota=10)
    one = candidate()
    kept = submitted(one, first_name="Jean", last_name="Tremblay", passport="AB1234567")
    two = candidate()
    other = submitted(two, first_name="Jean", last_name="Tremblay", passport="ZZ9999999")
    # As an older version stored it: a Cyrillic \u0435, and keys made without folding.
    other.data["requerant"]["first_name"] = "J\u0435an"
    other.save(update_fields=["data"])
    Application.objects.filter(dossier=other).update(names_key="old", possible_duplicate=False)
    Application.objects.filter(dossier=kept).update(possible_duplicate=False)
    assert keys_of(other.data["requerant"]).names == keys_of(kept.data["requerant"]).names
    intake.scan_duplicates()
    assert Application.objects.filter(possible_duplicate=True).count() == 2


def test_the_form_refuses_a_name_in_another_script() -> None:
    from guichet.intake.kinds.csq.forms import PrincipalForm

    form = PrincipalForm(data={"first_name": "J\u0435an", "last_name": "Tremblay"})
    form.is_valid()
    assert "lettres latines" in str(form.errors["first_name"])


def test_a_look_alike_with_one_passport_digit_changed_is_flagged_at_submission(
    django_capture_on_commit_callbacks,
) -> None:
    period(quota=10)
    one = candidate()
    submitted(one, first_name="Jean", last_name="Tremblay", passport="AB1234567")
    two = candidate()
    dossier = application(two, first_name="Je\u0251n", last_name="Tremblay", passport="AB1234568")
    with django_capture_on_commit_callbacks(execute=True):
        intake.submit(dossier=dossier, actor=two, **credentials(two))
    flagged = Application.objects.filter(counted=True, possible_duplicate=True)
    assert flagged.count() == 2  # both, for an officer, at once


def test_a_set_aside_duplicate_gives_its_reservation_back_at_once() -> None:
    room = _open_room()
    one = queuer({"first_name": "Marie", "last_name": "Gagnon", "passport": "CA7654321"})
    two = queuer({"first_name": "Marie", "last_name": "Gagnon", "passport": "CA7654321"})
    for user in (one, two):
        services.join(actor=user, room=room)
    services.admit(period=room.period)
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 2
    for user in (one, two):
        dossier = Application.objects.get(dossier__owner=user).dossier
        intake.submit(dossier=dossier, actor=user, **credentials(user))
    fresh = IntakePeriod.objects.get(pk=room.pk)
    assert (fresh.taken, fresh.reserved) == (1, 0)  # the duplicate's place is back, now
    assert not Reservation.objects.filter(user=two, status=ReservationStatus.ACTIVE).exists()


def test_an_admitted_candidate_who_can_no_longer_submit_loses_the_place_at_the_next_round() -> None:
    room = _open_room(capacity=1)
    user, next_one = queuer(), queuer()
    for person in (user, next_one):
        services.join(actor=person, room=room)
    services.admit(period=room.period)
    assert Ticket.objects.get(user=user).status == TicketStatus.ADMITTED
    # The application changed during the window: a section no longer valid.
    dossier = Application.objects.get(dossier__owner=user).dossier
    intake.save_section(dossier=dossier, key="langues", raw={}, actor=user)
    done = services.admit(period=room.period)
    assert done.requeued == 1 and done.admitted == 1
    assert Ticket.objects.get(user=user).status == TicketStatus.WAITING  # keeps the number
    assert Ticket.objects.get(user=next_one).status == TicketStatus.ADMITTED
    assert not Reservation.objects.filter(user=user, status=ReservationStatus.ACTIVE).exists()
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 1


def test_a_reservation_past_its_end_is_not_counted_after_the_next_round() -> None:
    room = _open_room()
    user = queuer()
    quota.reserve(period=room.period, user=user, window=timedelta(seconds=1))
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 1
    services.admit(period=room.period, now=timezone.now() + timedelta(seconds=5))
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 0
