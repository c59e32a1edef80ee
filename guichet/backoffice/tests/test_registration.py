"""« Inscrire un nouveau client » from the back office, and the two emails of seed 000 §2.4."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import Role, Source
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory
from guichet.audit.models import AuditEvent
from guichet.backoffice.tests.test_calendar import staff
from guichet.clients.models import AuthorizationCode, Client, ImmigrationStatus, Locality
from guichet.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _form() -> dict[str, str]:
    return {
        "status": str(ImmigrationStatus.objects.get(code="permanent_resident").pk),
        "status_granted_on": "2024-02-01",
        "last_name": "Flamenco",
        "first_name": "Fiona",
        "birth_date": "1990-04-12",
        "sex": "F",
        "reference_number": "",
        "client_number": "",
        "cic_client_id": "",
        "email": "fiona@example.org",
        "language": "en",
        "street_number": "5960",
        "street": "rue Jean-Talon",
        "locality": str(Locality.objects.get(name="Montréal").pk),
        "postal_code": "h1s 1m2",
        "phone_home": "5148649191",
        "french_sufficient": "yes",
    }


def _texts(sink: Any) -> list[tuple[str, str]]:
    return [(str(m["Subject"]), m.get_body(("plain",)).get_content()) for m in sink.messages]


def test_a_partner_registers_a_new_person_who_gets_an_authorization_code(
    client: HttpClient, smtp_sink: Any, django_capture_on_commit_callbacks: Any
) -> None:
    organisation = OrganisationFactory.create()
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    url = reverse("backoffice:register_client")
    assert client.get(url).status_code == 200
    bad = {**_form(), "postal_code": "12345", "email": "pas-une-adresse"}
    response = client.post(url, bad)
    assert response.status_code == 422 and 'value="Flamenco"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form())
    assert response.status_code == 302
    person = Client.objects.get(last_name="Flamenco")
    assert person.registered_by_organisation == organisation and person.user is None
    assert person.source == Source.PARTNER and person.postal_code == "H1S 1M2"
    assert AuthorizationCode.objects.filter(client=person, used_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="client.registered", source=Source.PARTNER).exists()
    subjects = sorted(s for s, _ in _texts(smtp_sink))
    # In the language chosen for the correspondence.
    assert subjects == [
        "Confirmation of registration to the Online appointment service",
        "Create your consultation profile",
    ]
    bodies = dict(_texts(smtp_sink))
    assert person.client_number in "".join(bodies.values())
    # The same person twice: refused, with the way to find them.
    response = client.post(url, _form())
    assert response.status_code == 422 and "Rechercher un client" in response.content.decode()


def test_a_person_with_a_profile_gets_a_reminder_of_their_user_code(
    client: HttpClient, smtp_sink: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create(username="FionaF1990")
    ClientFactory.create(
        user=user,
        last_name="Flamenco",
        first_name="Fiona",
        birth_date="1990-04-12",
        sex="F",
        reference_number="ABC12345",
    )
    client.force_login(staff(Role.MINISTRY_STAFF))
    data = {**_form(), "reference_number": "abc12345", "language": "fr"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:register_client"), data)
    assert response.status_code == 302
    texts = dict(_texts(smtp_sink))
    assert set(texts) == {
        "Confirmation d'inscription au Service en ligne de prise de rendez-vous",
        "Tirez profit de votre profil de consultation",
    }
    assert "FionaF1990" in texts["Tirez profit de votre profil de consultation"]
    assert not AuthorizationCode.objects.exists()
    # A number that belongs to someone else: refused next to the field.
    other = {**_form(), "reference_number": "ABC12345", "first_name": "Autre"}
    response = client.post(reverse("backoffice:register_client"), other)
    assert response.status_code == 422
    assert "correspond à une autre personne" in response.content.decode()


def test_registering_and_booking_in_one_step(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    from guichet.appointments.models import Booking
    from guichet.appointments.tests.factories import PlaceFactory, SessionFactory

    organisation = OrganisationFactory.create()
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    elsewhere = SessionFactory.create()
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    url = reverse("backoffice:register_client")
    html = client.get(url).content.decode()
    options = html[html.index('name="session"') :]
    options = options[: options.index("</select>")]
    assert f'value="{session.pk}"' in options and f'value="{elsewhere.pk}"' not in options
    response = client.post(url, {**_form(), "session": str(elsewhere.pk)})
    assert response.status_code == 422  # not a choice for this organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**_form(), "session": str(session.pk)})
    assert response.status_code == 302
    booking = Booking.objects.get(session=session)
    assert booking.client.last_name == "Flamenco" and booking.source == Source.PARTNER
