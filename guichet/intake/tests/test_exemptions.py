"""Issue 29 item 1: nobody goes around the room with a claim. An offer number counts only if it
names an offer the ministry validated for this candidate; anything else — and every temporary
resident — goes to « En vérification », holds no place and is not « Soumise » until an intake
officer confirms it (submitted outside the quota) or refuses it (back to the quota, told why)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditEvent
from guichet.core.refusals import Refused
from guichet.dossiers.models import DossierStatus
from guichet.employers.kinds.offer import kind as offers
from guichet.employers.tests.factories import company, submitted_offer
from guichet.intake import eligibility, services
from guichet.intake.models import Application, Category, Exemption, IntakePeriod, Reservation
from guichet.intake.tests.factories import application, candidate, credentials, officer, period
from guichet.messaging.models import Message
from guichet.waitingroom import services as room_services
from guichet.waitingroom.models import RoomStatus

pytestmark = pytest.mark.django_db

# The worker named in the demo's example offer (seed 004).
WORKER = {"first_name": "Camille", "last_name": "Durand", "birth_date": "1999-04-02"}


def _opening(places: int = 5) -> IntakePeriod:
    opened = period(quota=places, waiting_room=True)
    room = room_services.room_of(opened)
    room.status = RoomStatus.OPEN
    room.save()
    return opened


def _with_offer(user, number: str, **identity):
    dossier = application(user, **identity)
    dossier.data["offre"] = {
        "has_offer": "oui",
        "offer_number": number,
        "employer": "Boulangerie",
        "job_title": "Boulangère",
        "city": "Québec",
    }
    dossier.save(update_fields=["data"])
    eligibility.refresh(dossier)
    return dossier


def _validated_offer():
    primary = company().primary_user
    made = submitted_offer(primary)
    staff = _employer_officer()
    offers.validate(dossier=made, actor=staff)
    return made


def _employer_officer():
    from guichet.accounts.models import Role
    from guichet.accounts.tests.factories import staff

    user = staff(Role.MINISTRY_STAFF)
    user.handles_employer_files = True
    user.save(update_fields=["handles_employer_files"])
    return user


def test_a_made_up_offer_number_goes_to_verification_and_holds_no_place() -> None:
    opened = _opening()
    user = candidate()
    dossier = _with_offer(user, "A9999999")
    row = services.submit(dossier=dossier, actor=user, **credentials(user), message="Voici.")
    assert row.status == DossierStatus.PENDING
    assert row.status_label == "En vérification"
    found = Application.objects.get(dossier=row)
    assert (found.exemption, found.counted, found.exemption_claim["offer_number"]) == (
        Exemption.PENDING,
        False,
        "A9999999",
    )
    assert found.exemption_claim["message"] == "Voici."
    opened.refresh_from_db()
    assert (opened.taken, opened.reserved) == (0, 0)
    assert not Reservation.objects.filter(user=user).exists()
    # In verification: no number in the room either.
    with pytest.raises(Refused) as refused:
        room_services.join(actor=user, room=room_services.room_of(opened))
    assert refused.value.code == "in_verification"


def test_an_offer_that_exists_but_is_not_validated_or_names_someone_else_is_verified() -> None:
    _opening()
    primary = company().primary_user
    not_validated = submitted_offer(primary)
    user = candidate()
    dossier = _with_offer(user, not_validated.number, **WORKER)
    assert services.submit(dossier=dossier, actor=user, **credentials(user)).status == (
        DossierStatus.PENDING
    )
    validated = _validated_offer()
    other = candidate()
    someone_else = _with_offer(other, validated.number, first_name="Paul", last_name="Durand")
    assert services.submit(dossier=someone_else, actor=other, **credentials(other)).status == (
        DossierStatus.PENDING
    )


def test_a_validated_offer_for_this_worker_submits_outside_the_quota_without_the_room() -> None:
    opened = _opening()
    made = _validated_offer()
    user = candidate()
    # The names typed another way (case, accents, order) are still the worker's.
    dossier = _with_offer(
        user, made.number.lower(), first_name="DURAND", last_name="Camille", birth_date="1999-04-02"
    )
    row = services.submit(dossier=dossier, actor=user, **credentials(user))
    assert row.status == DossierStatus.SUBMITTED
    assert Application.objects.get(dossier=row).category == Category.JOB_OFFER
    opened.refresh_from_db()
    assert opened.taken == 0  # outside the quota
    # A withdrawn offer no longer counts.
    made.status = DossierStatus.WITHDRAWN
    made.save(update_fields=["status"])
    late = candidate()
    again = _with_offer(late, made.number, **WORKER)
    assert services.submit(dossier=again, actor=late, **credentials(late)).status == (
        DossierStatus.PENDING
    )


def test_a_temporary_resident_is_verified_and_the_officer_confirms_it() -> None:
    opened = _opening()
    user = candidate()
    dossier = application(user)
    dossier.data["quebec"] = {
        **dossier.data["quebec"],
        "temporary_resident": "oui",
        "permit_number": "U123456789",
        "permit_expiry": "2030-01-01",
    }
    dossier.save(update_fields=["data"])
    row = services.submit(dossier=dossier, actor=user, **credentials(user))
    assert row.status == DossierStatus.PENDING
    found = Application.objects.get(dossier=row)
    assert found.exemption_claim["permit_number"] == "U123456789"
    with pytest.raises(Refused):
        services.confirm_exemption(application=found, actor=candidate())
    staff = officer()
    services.confirm_exemption(application=found, actor=staff)
    row.refresh_from_db()
    found.refresh_from_db()
    assert row.status == DossierStatus.SUBMITTED
    assert (found.category, found.counted, found.exemption) == (
        Category.TEMPORARY_RESIDENT,
        True,
        Exemption.CONFIRMED,
    )
    opened.refresh_from_db()
    assert opened.taken == 0
    assert AuditEvent.objects.filter(
        action="intake.exemption_confirmed", actor_id=staff.pk
    ).exists()


def test_a_refused_claim_goes_back_to_the_quota_and_the_candidate_is_told_why() -> None:
    opened = _opening()
    user = candidate()
    dossier = _with_offer(user, "A9999999")
    row = services.submit(dossier=dossier, actor=user, **credentials(user))
    found = Application.objects.get(dossier=row)
    staff = officer()
    with pytest.raises(Refused):
        services.refuse_exemption(application=found, reason=" ", actor=staff)
    services.refuse_exemption(
        application=found, reason="Aucune offre validée ne porte ce numéro.", actor=staff
    )
    row.refresh_from_db()
    assert row.status == DossierStatus.DRAFT
    assert AuditEvent.objects.filter(action="intake.exemption_refused", actor_id=staff.pk).exists()
    told = Message.objects.filter(thread__dossier=row).order_by("-pk").first()
    assert told is not None and "Aucune offre validée ne porte ce numéro." in told.body
    # Like everyone else now: within the quota, through the room.
    assert eligibility.missing(user) == []
    ticket = room_services.join(actor=user, room=room_services.room_of(opened))
    assert ticket.number == 1
    room_services.admit(period=opened)
    row = services.submit(dossier=row, actor=user, **credentials(user))
    assert row.status == DossierStatus.SUBMITTED
    assert Application.objects.get(dossier=row).category == Category.QUOTA
    opened.refresh_from_db()
    assert opened.taken == 1


def test_the_officers_queue_shows_the_evidence_and_the_message() -> None:
    _opening()
    user = candidate()
    dossier = _with_offer(user, "A9999999")
    services.submit(
        dossier=dossier, actor=user, **credentials(user), message="Mon employeur attend."
    )
    client = Client()
    client.force_login(officer())
    listing = client.get(reverse("backoffice:intake_applications") + "?etat=pending")
    assert dossier.number in listing.content.decode()
    found = Application.objects.get(dossier=dossier)
    page = client.get(
        reverse("backoffice:intake_application", kwargs={"application_id": found.pk})
    ).content.decode()
    assert "A9999999" in page and "Mon employeur attend." in page
    assert "aucune offre de ce numéro" in page
    response = client.post(
        reverse("backoffice:intake_application", kwargs={"application_id": found.pk}),
        {"action": "refuse_exemption", "reason": "Numéro inconnu."},
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=found.pk).exemption == Exemption.REFUSED


def test_the_employer_officer_validates_a_submitted_offer_once() -> None:
    primary = company().primary_user
    made = submitted_offer(primary)
    staff = _employer_officer()
    client = Client()
    client.force_login(staff)
    url = reverse("backoffice:employer_offer", kwargs={"dossier_id": made.pk})
    assert "Valider l'offre" in client.get(url).content.decode()
    assert client.post(url, {"action": "validate"}).status_code == 302
    assert hasattr(type(made).objects.get(pk=made.pk), "validation")
    with pytest.raises(Refused):
        offers.validate(dossier=made, actor=staff)
    assert AuditEvent.objects.filter(action="offer.validated").count() == 1
