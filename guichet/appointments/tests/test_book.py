"""« Prendre un rendez-vous » (seed 000 §5.3; SPEC C2, C3, C5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import User
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory
from guichet.appointments.models import Booking, FrenchRequirement
from guichet.appointments.selectors import distance_km
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.clients.models import Client, Locality
from guichet.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client: HttpClient) -> tuple[User, Client]:
    user = UserFactory.create()
    home = Locality.objects.get(name="Laval")
    registered = ClientFactory.create(
        user=user, cic_client_id="50000001", french_sufficient=True, locality=home
    )
    client.force_login(user)
    return user, registered


def test_only_eligible_types_are_offered(client: HttpClient, person: tuple[User, Client]) -> None:
    AppointmentTypeFactory.create(title_fr="Premières démarches")
    AppointmentTypeFactory.create(
        title_fr="Francisation", french_requirement=FrenchRequirement.INSUFFICIENT
    )
    html = client.get(reverse("appointments:book")).content.decode()
    assert "Premières démarches" in html and "Francisation" not in html


def test_cities_then_organisations_nearest_to_home_first(
    client: HttpClient, person: tuple[User, Client]
) -> None:
    kind = AppointmentTypeFactory.create()
    montreal = Locality.objects.get(name="Montréal")
    far = PlaceFactory.create(
        organisation=OrganisationFactory.create(name="Loin"),
        locality=montreal,
        latitude=45.45,
        longitude=-73.95,
    )
    near = PlaceFactory.create(
        organisation=OrganisationFactory.create(name="Proche"),
        locality=montreal,
        latitude=45.55,
        longitude=-73.70,
    )
    SessionFactory.create(appointment_type=kind, place=far)
    SessionFactory.create(appointment_type=kind, place=near)
    SessionFactory.create(
        appointment_type=kind,
        place=PlaceFactory.create(locality=Locality.objects.get(name="Québec")),
    )
    html = client.get(reverse("appointments:book"), {"type": kind.pk}).content.decode()
    assert ">Montréal</option>" in html and ">Québec</option>" in html and "Sherbrooke" not in html
    html = client.get(
        reverse("appointments:book"), {"type": kind.pk, "ville": montreal.pk}
    ).content.decode()
    assert html.index(">Proche (") < html.index(">Loin (")


def test_search_then_save_books_the_slot(client: HttpClient, person: tuple[User, Client]) -> None:
    kind = AppointmentTypeFactory.create()
    session = SessionFactory.create(appointment_type=kind)
    query: dict[str, Any] = {"type": kind.pk, "ville": session.place.locality_id, "rechercher": "1"}
    html = client.get(reverse("appointments:book"), query).content.decode()
    assert f'value="{session.pk}"' in html
    url = (
        reverse("appointments:book")
        + f"?type={kind.pk}&ville={session.place.locality_id}&rechercher=1"
    )
    response = client.post(url, {"session": session.pk})
    assert response["Location"] == reverse("appointments:mine")
    assert Booking.objects.filter(client=person[1], session=session).exists()


def test_a_full_session_says_so(client: HttpClient, person: tuple[User, Client]) -> None:
    session = SessionFactory.create(capacity=1, seats_taken=1)
    response = client.post(reverse("appointments:book"), {"session": session.pk}, follow=True)
    assert "complète" in response.content.decode()
    assert not Booking.objects.exists()


def test_distance_is_in_kilometres() -> None:
    assert round(distance_km(45.5017, -73.5673, 46.8139, -71.2080)) == 233  # Montréal to Québec


def test_complementary_information_is_asked_before_saving(
    client: HttpClient, person: tuple[User, Client]
) -> None:
    """Seed 000 §5.3.5: a type that needs answers the client has not given asks for them."""
    _user, registered = person
    kind = AppointmentTypeFactory.create(required_information=["professional_domain", "schooling"])
    session = SessionFactory.create(appointment_type=kind)
    url = reverse("appointments:book") + (
        f"?type={kind.pk}&ville={session.place.locality_id}&rechercher=1"
    )
    response = client.post(url, {"session": session.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "Information complémentaire" in html
    assert "Domaine d&#x27;activité professionnelle" in html
    assert "Profession envisagée" not in html  # only what the type requires
    assert not Booking.objects.exists()
    # Missing answer: an error next to the field, what was typed is kept.
    response = client.post(
        url, {"session": session.pk, "complement": "1", "professional_domain": "Infirmier"}
    )
    html = response.content.decode()
    assert response.status_code == 422 and 'value="Infirmier"' in html
    assert 'id="id_schooling-error"' in html or "Ce champ est obligatoire" in html
    assert not Booking.objects.exists()
    response = client.post(
        url,
        {
            "session": session.pk,
            "complement": "1",
            "professional_domain": "Infirmier",
            "schooling": "15-16",
        },
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert (registered.professional_domain, registered.schooling) == ("Infirmier", "15-16")
    assert Booking.objects.filter(client=registered, session=session).exists()


def test_the_complementary_information_is_kept_only_with_the_booking(
    person: tuple[User, Client],
) -> None:
    """Issue 32: the view no longer writes the client's record; the booking service writes the
    answers with the seat, in its transaction — a refused booking keeps neither."""
    from guichet.appointments import services
    from guichet.core.refusals import Refused

    user, registered = person
    kind = AppointmentTypeFactory.create(required_information=["professional_domain"])
    full = SessionFactory.create(appointment_type=kind, capacity=1, seats_taken=1)
    with pytest.raises(Refused):
        services.book(
            client=registered,
            session=full,
            actor=user,
            complement={"professional_domain": "Infirmier"},
        )
    registered.refresh_from_db()
    assert registered.professional_domain == ""
    with pytest.raises(ValueError):  # only the fields a type may ask for
        services.book(
            client=registered, session=full, actor=user, complement={"last_name": "Autre"}
        )


def test_results_come_twenty_at_a_time_and_a_search_needs_a_city(
    client: HttpClient, person: tuple[User, Client]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    kind = AppointmentTypeFactory.create()
    place = PlaceFactory.create()
    for day in range(25):
        SessionFactory.create(
            appointment_type=kind, place=place, starts_at=timezone.now() + timedelta(days=2 + day)
        )
    url = reverse("appointments:book")
    first: dict[str, Any] = {"type": kind.pk, "rechercher": "1"}
    html = client.get(url, first).content.decode()
    assert 'id="id_ville-error"' in html and "Sélectionnez une ville." in html
    query: dict[str, Any] = {"type": kind.pk, "ville": place.locality_id, "rechercher": "1"}
    html = client.get(url, query).content.decode()
    assert html.count('name="session"') == 20 and "page 1 de 2" in html
    assert "page=2" in html
    html = client.get(url, {**query, "page": "2"}).content.decode()
    assert html.count('name="session"') == 5 and 'rel="prev"' in html
