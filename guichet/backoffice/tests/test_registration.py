"""« Inscrire un nouveau client » from the back office, and the two emails of seed 000 §2.4."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory, staff
from guichet.audit.models import AuditEvent
from guichet.clients.models import AuthorizationCode, Client, ImmigrationStatus, Locality
from guichet.clients.tests.factories import ClientFactory
from guichet.core.actor import Source

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
        "french_sufficient": "oui",
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


def _victim() -> Client:
    """A client registered by another organisation, with a profile, invisible to our partner."""
    return ClientFactory.create(
        user=UserFactory.create(username="FionaF1990", email="fiona.vraie@example.org"),
        last_name="Flamenco",
        first_name="Fiona",
        birth_date="1990-04-12",
        sex="F",
        cic_client_id="12345678",
        email="fiona.vraie@example.org",
        street="rue d'origine",
        phone_home="4185550000",
        consents_to_partner_access=False,
        registered_by_organisation=OrganisationFactory.create(),
    )


def test_staff_registration_never_takes_over_an_existing_record(
    client: HttpClient, smtp_sink: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Security finding 1: a partner registering a person on file (same name, birth date, sex
    and CIC id, a new email) overwrote the record, moved it into its organisation and mailed an
    authorization code — or the victim's user code — to the attacker's address."""
    victim = _victim()
    client.force_login(staff(Role.PARTNER_STAFF, OrganisationFactory.create()))
    attack = {**_form(), "cic_client_id": "12345678", "email": "attaquant@example.org"}
    for data in (attack, {**attack, "cic_client_id": ""}):  # by identifier, then by identity
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("backoffice:register_client"), data)
        assert response.status_code == 422
        html = response.content.decode()
        assert "peut-être déjà inscrite" in html and "Demander l'accès à son dossier" in html
        assert "FionaF1990" not in html and "fiona.vraie" not in html
    fresh = Client.objects.get(pk=victim.pk)
    assert (fresh.email, fresh.street, fresh.phone_home) == (
        "fiona.vraie@example.org",
        "rue d'origine",
        "4185550000",
    )
    assert fresh.registered_by_organisation_id == victim.registered_by_organisation_id
    assert not AuthorizationCode.objects.exists()
    assert smtp_sink.messages == []
    assert Client.objects.count() == 1


def test_ministry_staff_are_sent_to_the_existing_record(
    client: HttpClient, smtp_sink: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _victim()
    client.force_login(staff(Role.MINISTRY_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("backoffice:register_client"), {**_form(), "email": "autre@example.org"}
        )
    html = response.content.decode()
    assert response.status_code == 422 and "Rechercher un client" in html
    assert "Demander l'accès" not in html and smtp_sink.messages == []
    # A number that belongs to someone else: refused next to the field.
    other = {**_form(), "cic_client_id": "12345678", "first_name": "Autre"}
    response = client.post(reverse("backoffice:register_client"), other)
    assert response.status_code == 422 and "ne peut pas servir" in response.content.decode()


def test_a_partner_gets_access_only_when_the_person_accepts_at_the_address_on_file(
    client: HttpClient, smtp_sink: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import re

    from guichet.clients.models import PartnerAccess

    victim = _victim()
    organisation = OrganisationFactory.create(name="Accueil Rive-Sud")
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    detail = reverse("backoffice:client", kwargs={"client_id": victim.pk})
    assert client.get(detail).status_code == 404
    data = {**_form(), "email": "attaquant@example.org", "action": "request_access"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:register_client"), data)
    assert response.status_code == 302
    # Asking twice sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:register_client"), data)
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"] == "fiona.vraie@example.org"
    assert message["Subject"] == "Demande d'accès à votre dossier"
    body = message.get_body(("plain",)).get_content()
    assert "Accueil Rive-Sud" in body and "Flamenco" not in body
    link = re.search(r"https?://\S+/(acces-organisme/\S+/)", body)
    assert link is not None
    assert client.get(detail).status_code == 404  # not before the person says yes
    person = HttpClient()
    url = "/fr/" + link.group(1)
    assert "Accueil Rive-Sud" in person.get(url).content.decode()
    assert person.post(url, {"decision": "grant"}).status_code == 200
    assert PartnerAccess.objects.get().status == "granted"
    assert client.get(detail).status_code == 200
    assert person.get(url).status_code == 404  # single use
    assert Client.objects.get(pk=victim.pk).email == "fiona.vraie@example.org"


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


def test_the_staff_form_follows_the_wizard_in_sections_worded_for_staff(
    client: HttpClient,
) -> None:
    """Issue 13 #7: fields out of order, no headings, labels speaking to the client."""
    import re

    client.force_login(staff(Role.PARTNER_STAFF, OrganisationFactory.create()))
    html = client.get(reverse("backoffice:register_client")).content.decode()
    legends = re.findall(r"<legend>([^<]+)</legend>", html)
    assert legends[:4] == [
        "Statuts, permis et certificats",
        "Identité",
        "Coordonnées",
        "Information complémentaire",
    ]
    names = re.findall(r'name="([a-z_]+)"', html)
    order = [n for n in ("status", "last_name", "street", "french_sufficient") if n in names]
    assert sorted(order, key=names.index) == order
    assert "votre statut" not in html and "Statut du client" in html
