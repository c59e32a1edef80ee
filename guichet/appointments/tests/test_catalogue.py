"""Public catalogue of appointment types (seed 000 §2.3; SPEC C1)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from guichet.accounts.tests.factories import OrganisationFactory
from guichet.appointments.models import Session
from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_each_type_with_the_organisations_that_offer_it(
    client: Client, django_assert_max_num_queries: object
) -> None:
    first = AppointmentTypeFactory.create(title_fr="Objectif Intégration", position=1)
    second = AppointmentTypeFactory.create(
        title_fr="ÉVALUATION LINGUISTIQUE - FRANCISATION", position=2
    )
    first.organisations.set(
        [
            OrganisationFactory.create(name="Carrefour d'aide aux nouveaux arrivants"),
            OrganisationFactory.create(name="Accueil-Parrainage Outaouais"),
        ]
    )
    for _ in range(5):
        AppointmentTypeFactory.create().organisations.add(OrganisationFactory.create())
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        html = client.get(reverse("appointments:catalogue")).content.decode()
    assert html.index("Objectif Intégration") < html.index("ÉVALUATION LINGUISTIQUE")
    assert "<details" in html and "Organismes qui offrent ce service" in html  # no JS needed
    assert "Accueil-Parrainage Outaouais</li>" in html
    assert reverse("appointments:type_detail", kwargs={"slug": second.slug}) in html


def test_inactive_types_and_organisations_are_not_listed(client: Client) -> None:
    AppointmentTypeFactory.create(title_fr="Type retiré", is_active=False)
    kind = AppointmentTypeFactory.create()
    kind.organisations.add(OrganisationFactory.create(name="Organisme fermé", is_active=False))
    html = client.get(reverse("appointments:catalogue")).content.decode()
    assert "Type retiré" not in html
    assert "Organisme fermé" not in html
    assert (
        client.get(reverse("appointments:type_detail", kwargs={"slug": "inconnu"})).status_code
        == 404
    )


def test_the_detail_page_shows_the_seed_fields_in_each_language(client: Client) -> None:
    kind = AppointmentTypeFactory.create(duration_minutes=180, collective=True)
    url = reverse("appointments:type_detail", kwargs={"slug": kind.slug})
    html = client.get(url).content.decode()
    for label in ["Titre", "Description", "Durée", "Rencontre collective", "Documents à apporter"]:
        assert f"<dt>{label}</dt>" in html
    assert "180 minutes" in html and "Passeport" in html
    english = client.get(f"/en/appointments/types/{kind.slug}/").content.decode()
    assert "First steps to settle in session" in english and "Passport" in english


def test_the_database_refuses_an_overbooked_session() -> None:
    session = SessionFactory.create(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(seats_taken=3)
