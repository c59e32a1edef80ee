"""Clients in the back office: search within scope, act on a client's behalf (SPEC D3, D4)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, staff
from guichet.appointments.models import Booking, BookingStatus, Session
from guichet.appointments.services import book
from guichet.appointments.tests.factories import PlaceFactory, SessionFactory
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.audit.models import AuditEvent
from guichet.clients.models import Client
from guichet.core.actor import Source

pytestmark = pytest.mark.django_db


def _people(organisation: Any) -> tuple[Client, Client, Client]:
    consenting = registered_client(1)
    Client.objects.filter(pk=consenting.pk).update(
        consents_to_partner_access=True, last_name="Flamenco"
    )
    registered_here = registered_client(2)
    Client.objects.filter(pk=registered_here.pk).update(
        registered_by_organisation=organisation, last_name="Flamenco"
    )
    private = registered_client(3)
    Client.objects.filter(pk=private.pk).update(
        consents_to_partner_access=False, last_name="Flamenco"
    )
    return consenting, registered_here, private


def test_partner_staff_find_only_consenting_or_own_clients(client: HttpClient) -> None:
    organisation = OrganisationFactory.create()
    consenting, registered_here, private = _people(organisation)
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    html = client.post(reverse("backoffice:clients"), {"last_name": "flamenco"}).content.decode()
    assert "2 clients" in html
    assert consenting.client_number in html and registered_here.client_number in html
    assert private.client_number not in html
    # A guessed id of a client out of scope: not found.
    assert (
        client.get(reverse("backoffice:client", kwargs={"client_id": private.pk})).status_code
        == 404
    )
    response = client.get(reverse("backoffice:client", kwargs={"client_id": consenting.pk}))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="client.viewed", object_id=str(consenting.pk)).exists()
    # No criterion: an error, not the whole list.
    assert client.post(reverse("backoffice:clients"), {"last_name": ""}).status_code == 422


def test_ministry_staff_find_every_client(client: HttpClient) -> None:
    _consenting, _here, private = _people(OrganisationFactory.create())
    client.force_login(staff(Role.MINISTRY_STAFF))
    html = client.post(
        reverse("backoffice:clients"), {"client_number": private.client_number}
    ).content.decode()
    assert "1 client" in html


def test_staff_book_on_behalf_with_source_and_overbook_only_by_explicit_override(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    organisation = OrganisationFactory.create()
    consenting, registered_here, private = _people(organisation)
    session = SessionFactory.create(
        place=PlaceFactory.create(organisation=organisation), capacity=1
    )
    user = staff(Role.PARTNER_STAFF, organisation)
    client.force_login(user)
    url = reverse("backoffice:add_participant", kwargs={"session_id": session.pk})
    page = client.get(url)
    assert page.status_code == 200
    # Out-of-scope client: refused next to the field.
    response = client.post(url, {"client_number": private.client_number})
    assert response.status_code == 422 and "Aucun client accessible" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"client_number": consenting.client_number}).status_code == 302
    booking = Booking.objects.get(client=consenting)
    assert booking.source == Source.PARTNER and booking.created_by == user
    assert "(1 place prise sur 1)" in client.get(url).content.decode()  # one, singular
    assert [m.subject for m in mail.outbox] == ["Confirmation de votre rendez-vous"]
    # Full: refused, unless the override is asked for, with a reason.
    response = client.post(url, {"client_number": registered_here.client_number})
    assert response.status_code == 422 and "complète" in response.content.decode()
    response = client.post(url, {"client_number": registered_here.client_number, "overbook": "on"})
    assert response.status_code == 422 and "Expliquez pourquoi" in response.content.decode()
    response = client.post(
        url,
        {
            "client_number": registered_here.client_number,
            "overbook": "on",
            "reason": "Interprète déjà réservé",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.seats_taken, session.capacity) == (2, 2)
    event = AuditEvent.objects.get(action="session.overbooked")
    assert event.details == {"reason": "Interprète déjà réservé"} and event.source == Source.PARTNER


def test_staff_cancel_on_behalf_only_in_their_organisation(client: HttpClient) -> None:
    organisation = OrganisationFactory.create()
    consenting, _here, _private = _people(organisation)
    own = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    elsewhere = SessionFactory.create(starts_at=own.starts_at + timedelta(days=1))
    ours = book(client=consenting, session=own, actor=user_of(consenting))
    theirs = book(client=consenting, session=elsewhere, actor=user_of(consenting))
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    html = client.get(
        reverse("backoffice:client", kwargs={"client_id": consenting.pk})
    ).content.decode()
    assert reverse("backoffice:booking_cancel", kwargs={"booking_id": ours.pk}) in html
    assert reverse("backoffice:booking_cancel", kwargs={"booking_id": theirs.pk}) not in html
    foreign = reverse("backoffice:booking_cancel", kwargs={"booking_id": theirs.pk})
    assert client.post(foreign).status_code == 404
    url = reverse("backoffice:booking_cancel", kwargs={"booking_id": ours.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, ours.changed_source) == (BookingStatus.CANCELLED, Source.PARTNER)
    assert theirs.status == BookingStatus.BOOKED
    assert Session.objects.get(pk=own.pk).seats_taken == 0


def test_staff_reschedule_on_behalf_with_their_source(client: HttpClient) -> None:
    from datetime import timedelta

    organisation = OrganisationFactory.create()
    consenting, _here, _private = _people(organisation)
    first = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    second = SessionFactory.create(
        appointment_type=first.appointment_type,
        place=first.place,
        starts_at=first.starts_at + timedelta(days=7),
    )
    booking = book(client=consenting, session=first, actor=user_of(consenting))
    client.force_login(staff(Role.MINISTRY_STAFF))
    url = reverse("backoffice:booking_reschedule", kwargs={"booking_id": booking.pk})
    html = client.get(url).content.decode()
    assert f'value="{second.pk}"' in html
    assert client.post(url, {"session": second.pk}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED
    assert booking.changed_source == Source.MINISTRY
    assert booking.replaced_by is not None and booking.replaced_by.source == Source.MINISTRY
    # A partner of another organisation cannot reach it.
    client.force_login(staff(Role.PARTNER_STAFF, OrganisationFactory.create()))
    url = reverse("backoffice:booking_reschedule", kwargs={"booking_id": booking.replaced_by.pk})
    assert client.get(url).status_code == 404


def test_the_client_search_keeps_personal_data_out_of_the_address(client: HttpClient) -> None:
    """Security finding 10: `last_name=…&birth_date=…` was in the access logs."""
    organisation = OrganisationFactory.create()
    consenting, _here, _private = _people(organisation)
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    page = client.get(reverse("backoffice:clients")).content.decode()
    assert '<form method="post" action="' + reverse("backoffice:clients") in page
    ignored = client.get(reverse("backoffice:clients"), {"last_name": "flamenco"})
    assert consenting.client_number not in ignored.content.decode()


def test_partner_staff_see_only_their_organisations_appointments(client: HttpClient) -> None:
    """Security finding 15: a consenting client's appointments elsewhere were listed."""
    from guichet.appointments.services import book
    from guichet.appointments.tests.test_booking import user_of

    organisation = OrganisationFactory.create()
    consenting, _here, _private = _people(organisation)
    here = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    elsewhere = SessionFactory.create(
        place=PlaceFactory.create(), starts_at=here.starts_at + timedelta(days=1)
    )
    for session in (here, elsewhere):
        book(client=consenting, session=session, actor=user_of(consenting))
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    detail = reverse("backoffice:client", kwargs={"client_id": consenting.pk})
    html = client.get(detail).content.decode()
    assert here.organisation.name in html and elsewhere.organisation.name not in html
    client.force_login(staff(Role.MINISTRY_STAFF))
    html = client.get(detail).content.decode()
    assert here.organisation.name in html and elsewhere.organisation.name in html


def test_staff_are_told_about_the_client_not_about_themselves(client: HttpClient) -> None:
    """Issue 13 #18: a staff screen said « Vous avez déjà un rendez-vous… » to staff."""
    organisation = OrganisationFactory.create()
    consenting, _here, _private = _people(organisation)
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    url = reverse("backoffice:add_participant", kwargs={"session_id": session.pk})
    client.post(url, {"client_number": consenting.client_number})
    again = client.post(url, {"client_number": consenting.client_number}, follow=True)
    html = again.content.decode()
    assert "Vous avez déjà" not in html and "Vous êtes déjà" not in html
    assert "Ce client" in html


def test_staff_find_amelie_from_amelie_without_accents(client: HttpClient) -> None:
    """Issue 13 #9: searches were accent- and case-sensitive (PostgreSQL unaccent; SQLite
    gets the same function from guichet.core.search)."""
    person = registered_client(7)
    Client.objects.filter(pk=person.pk).update(last_name="Bélanger-Côté")
    client.force_login(staff(Role.MINISTRY_STAFF))
    for typed in ("belanger-cote", "BÉLANGER-CÔTÉ", " Belanger-Côte "):
        html = client.post(reverse("backoffice:clients"), {"last_name": typed}).content.decode()
        assert person.client_number in html, typed
    html = client.post(reverse("backoffice:clients"), {"last_name": "belanger"}).content.decode()
    assert person.client_number not in html  # still the whole name
