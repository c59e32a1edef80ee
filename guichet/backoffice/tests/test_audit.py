"""« Journal d'audit » for ministry staff (SPEC D5)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, staff
from guichet.appointments.services import book, cancel, change_capacity
from guichet.appointments.tests.factories import PlaceFactory, SessionFactory
from guichet.appointments.tests.test_booking import registered_client, user_of

pytestmark = pytest.mark.django_db


def test_the_trail_of_a_client_a_session_and_an_organisation(client: HttpClient) -> None:
    organisation = OrganisationFactory.create()
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    other = SessionFactory.create()
    person, stranger = registered_client(1), registered_client(2)
    booking = book(client=person, session=session, actor=user_of(person))
    cancel(booking=booking, actor=user_of(person))
    book(client=stranger, session=other, actor=user_of(stranger))
    partner = staff(Role.PARTNER_STAFF, organisation)
    change_capacity(session=session, capacity=30, actor=partner)
    client.force_login(staff(Role.MINISTRY_STAFF))
    url = reverse("backoffice:audit")

    html = client.get(url, {"client": person.client_number}).content.decode()
    assert "2 événements" in html
    assert "Rendez-vous pris" in html and "Rendez-vous annulé" in html

    html = client.get(url, {"seance": session.pk}).content.decode()
    assert "3 événements" in html and "Nombre de places modifié" in html

    by_source = {"organisme": str(organisation.pk), "source": "partner"}
    html = client.get(url, by_source).content.decode()
    assert "1 événement" in html and partner.username in html

    dated = {"client": person.client_number, "du": "2000-01-01", "au": "2000-12-31"}
    assert "Aucun événement pour ces critères." in client.get(url, dated).content.decode()

    response = client.get(url, {"source": "client"})
    assert response.status_code == 422
    assert "Indiquez un numéro de client" in response.content.decode()
    assert "Aucun client" in client.get(url, {"client": "99999"}).content.decode()


def test_only_ministry_staff_read_the_audit_trail(client: HttpClient) -> None:
    url = reverse("backoffice:audit")
    client.force_login(staff(Role.PARTNER_STAFF, OrganisationFactory.create()))
    assert client.get(url).status_code == 403
    client.force_login(user_of(registered_client()))
    assert client.get(url).status_code == 403
