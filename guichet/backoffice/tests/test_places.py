"""Places and offered appointment types in the back office (SPEC D2)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, staff
from guichet.appointments.models import Place
from guichet.appointments.tests.factories import AppointmentTypeFactory, PlaceFactory
from guichet.clients.models import Locality

pytestmark = pytest.mark.django_db


def test_partner_staff_add_and_edit_places_of_their_organisation_only(
    client: HttpClient,
) -> None:
    mine, theirs = OrganisationFactory.create(), OrganisationFactory.create()
    foreign = PlaceFactory.create(organisation=theirs, name="Ailleurs")
    client.force_login(staff(Role.PARTNER_STAFF, mine))
    sherbrooke = Locality.objects.get(name="Sherbrooke")
    data = {
        "organisation": str(theirs.pk),
        "name": "Bureau de Sherbrooke",
        "address": "93, rue Wellington Nord",
        "locality": str(sherbrooke.pk),
        "postal_code": "j1h5b6",
        "phone": "819 566-5373",
    }
    response = client.post(reverse("backoffice:place_new"), data)
    assert response.status_code == 422 and not Place.objects.filter(name=data["name"]).exists()
    response = client.post(reverse("backoffice:place_new"), {**data, "organisation": mine.pk})
    assert response.status_code == 302
    place = Place.objects.get(name="Bureau de Sherbrooke")
    assert place.organisation == mine and place.postal_code == "J1H 5B6"
    assert (place.latitude, place.longitude) == (sherbrooke.latitude, sherbrooke.longitude)
    html = client.get(reverse("backoffice:places")).content.decode()
    assert "Bureau de Sherbrooke" in html and "Ailleurs" not in html
    edit = reverse("backoffice:place_edit", kwargs={"place_id": place.pk})
    response = client.post(edit, {**data, "organisation": mine.pk, "postal_code": "123"})
    assert response.status_code == 422 and "A1A 1A1" in response.content.decode()
    assert (
        client.get(reverse("backoffice:place_edit", kwargs={"place_id": foreign.pk})).status_code
        == 404
    )


def test_an_organisation_chooses_the_types_it_offers(client: HttpClient) -> None:
    mine, theirs = OrganisationFactory.create(), OrganisationFactory.create()
    first, second = AppointmentTypeFactory.create(), AppointmentTypeFactory.create()
    second.organisations.add(theirs)
    client.force_login(staff(Role.PARTNER_STAFF, mine))
    url = reverse("backoffice:offered_types")
    assert client.post(url, {"types": [str(first.pk), str(second.pk)]}).status_code == 302
    assert set(mine.appointment_types.all()) == {first, second}
    # A partner cannot pick another organisation with ?organisme=: it stays on its own.
    client.post(f"{url}?organisme={theirs.pk}", {"types": []})
    assert set(theirs.appointment_types.all()) == {second}
    assert set(mine.appointment_types.all()) == set()
