"""Distances that mean something (issue 13 #3): measured from the postal code's forward sortation
area when it is known, else from the locality; the page says which; each place has its own map."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.tests.factories import UserFactory
from guichet.appointments.models import Place
from guichet.appointments.selectors import client_origin, distance_km, fsa_position
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    OrganisationFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.clients.models import Locality
from guichet.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_a_quebec_fsa_has_its_own_position() -> None:
    plateau, cdn = fsa_position("H2X"), fsa_position("H3S")
    assert plateau is not None and cdn is not None
    assert 3 < distance_km(*plateau, *cdn) < 8
    assert fsa_position("M5V") is None  # Toronto: not a Québec postal code
    assert fsa_position("ZZZ") is None


def test_the_origin_is_the_postal_code_else_the_locality() -> None:
    montreal = Locality.objects.get(name="Montréal")
    with_code = ClientFactory.build(locality=montreal, postal_code="h3s 2t6")
    origin = client_origin(with_code)
    assert origin is not None and origin.fsa == "H3S" and not origin.locality
    unknown = ClientFactory.build(locality=montreal, postal_code="X9X 9X9")
    origin = client_origin(unknown)
    assert origin is not None and origin.fsa == "" and origin.locality == "Montréal"
    assert (origin.latitude, origin.longitude) == (montreal.latitude, montreal.longitude)
    assert client_origin(ClientFactory.build(locality=None, postal_code="")) is None


def _two_montreal_places() -> tuple[Place, Place]:
    kind = AppointmentTypeFactory.create()
    montreal = Locality.objects.get(name="Montréal")
    downtown = PlaceFactory.create(
        organisation=OrganisationFactory.create(name="Centre-ville"),
        locality=montreal,
        latitude=45.5081,
        longitude=-73.5625,
    )
    cdn = PlaceFactory.create(
        organisation=OrganisationFactory.create(name="Côte-des-Neiges"),
        locality=montreal,
        latitude=45.5075,
        longitude=-73.6319,
    )
    SessionFactory.create(appointment_type=kind, place=downtown)
    SessionFactory.create(appointment_type=kind, place=cdn)
    return downtown, cdn


@pytest.mark.parametrize(
    ("postal_code", "first", "said"),
    [
        ("H3S 2T6", "Côte-des-Neiges", "secteur de votre code postal (H3S)"),
        ("H2X 2S5", "Centre-ville", "secteur de votre code postal (H2X)"),
    ],
)
def test_two_clients_see_different_distances_and_where_from(
    client: HttpClient, postal_code: str, first: str, said: str
) -> None:
    downtown, _cdn = _two_montreal_places()
    user = UserFactory.create()
    ClientFactory.create(
        user=user,
        cic_client_id="50000077",
        locality=downtown.locality,
        postal_code=postal_code,
        french_sufficient=True,
    )
    client.force_login(user)
    kind = downtown.sessions.first().appointment_type  # type: ignore[union-attr]
    html = client.get(
        reverse("appointments:book"), {"type": kind.pk, "ville": downtown.locality_id}
    ).content.decode()
    select = html[html.index('id="id_organisme"') :]
    select = select[: select.index("</select>")]
    assert select.index(first) < select.index(
        "Centre-ville" if first != "Centre-ville" else "Côte-des-Neiges"
    )
    assert "(0,0 km)" not in select and " km)" in select
    assert said in html


def test_each_place_links_to_its_own_spot_on_the_map() -> None:
    downtown, cdn = _two_montreal_places()
    assert downtown.map_url != cdn.map_url
    assert "mlat=45.50810&mlon=-73.56250" in downtown.map_url


def test_demo_places_have_distinct_coordinates() -> None:
    from guichet.demo.appointments import PLACES

    spots = [coords for *_rest, coords in PLACES]
    assert len(spots) == len(set(spots))
