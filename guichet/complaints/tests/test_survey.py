"""The satisfaction survey (seed 003): after a completed appointment or a closed dossier,
optional, answered once, anonymous, reported in aggregate only (small groups hidden)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import UserFactory, staff
from guichet.appointments.models import Booking, BookingStatus
from guichet.appointments.services import book
from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
from guichet.clients.tests.factories import ClientFactory
from guichet.complaints import survey
from guichet.complaints.models import SurveyParticipation, SurveyResponse
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.tests.factories import submitted

pytestmark = pytest.mark.django_db


def _completed(user: User, number: str) -> Booking:
    registered = ClientFactory.create(user=user, cic_client_id=number)
    kind = AppointmentTypeFactory.create(slug=f"objectif-{number}", title_fr="Objectif Intégration")
    booking = book(
        client=registered, session=SessionFactory.create(appointment_type=kind), actor=user
    )
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.COMPLETED)
    return booking


def test_a_completed_appointment_is_surveyed_once_and_anonymously(client) -> None:
    user = UserFactory.create()
    booking = _completed(user, "40000061")
    client.force_login(user)
    mine = client.get(reverse("appointments:mine")).content.decode()
    url = reverse(
        "complaints:satisfaction", kwargs={"subject": "appointment", "subject_id": booking.pk}
    )
    assert url in mine and "Donner mon avis" in mine
    empty = client.post(url, {})
    assert empty.status_code == 422
    assert "Répondez à au moins une question" in empty.content.decode()
    client.post(url, {"overall": "5", "courtesy": "4", "delay": "2"})
    response = SurveyResponse.objects.get()
    assert (response.overall, response.courtesy, response.information, response.delay) == (
        5,
        4,
        None,
        2,
    )
    assert response.service == booking.session.appointment_type.slug
    assert response.month == timezone.localdate().replace(day=1)
    assert not hasattr(response, "user") and SurveyParticipation.objects.get().user == user
    assert "Vous avez répondu à ce sondage" in client.get(url).content.decode()
    client.post(url, {"overall": "1"})
    assert SurveyResponse.objects.count() == 1
    assert url not in client.get(reverse("appointments:mine")).content.decode()


def test_only_ones_own_completed_appointment_or_closed_dossier(client) -> None:
    owner = UserFactory.create()
    booking = _completed(owner, "40000062")
    url = reverse(
        "complaints:satisfaction", kwargs={"subject": "appointment", "subject_id": booking.pk}
    )
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.MINISTRY_STAFF))
    assert client.get(url).status_code == 404
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.BOOKED)
    client.force_login(owner)
    assert client.get(url).status_code == 404  # not completed yet
    bogus = reverse(
        "complaints:satisfaction", kwargs={"subject": "autre", "subject_id": booking.pk}
    )
    assert client.get(bogus).status_code == 404


def test_a_closed_dossier_offers_the_survey(client) -> None:
    dossier = submitted()
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.CLOSED)
    assert dossier.owner is not None
    client.force_login(dossier.owner)
    page = client.get(
        reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})
    ).content.decode()
    url = reverse(
        "complaints:satisfaction", kwargs={"subject": "dossier", "subject_id": dossier.pk}
    )
    assert url in page
    client.post(url, {"information": "4"})
    assert SurveyResponse.objects.get().service == dossier.kind


def test_results_in_aggregate_hide_small_groups(client) -> None:
    march = date(2026, 3, 1)
    for overall in (5, 4, 4, 2, 1):
        SurveyResponse.objects.create(
            subject="appointment", service="objectif-integration", month=march, overall=overall
        )
    SurveyResponse.objects.create(
        subject="dossier", service="accompagnement_quebec", month=march, overall=5, delay=5
    )
    found = {r.label: r for r in survey.results(date(2026, 3, 1), date(2026, 3, 31))}
    appointments = found["objectif-integration"]  # no such type here: the code is shown
    assert appointments.responses == 5 and appointments.questions[0] == (5, 60.0)
    assert appointments.questions[1] == (0, None)
    assert found["Accompagnement Québec"].questions[0] == (1, None)  # fewer than 5
    client.force_login(staff(Role.MINISTRY_STAFF))
    page = client.get(
        reverse("backoffice:commitment_report"), {"du": "2026-03-01", "au": "2026-03-31"}
    )
    text = page.content.decode()
    assert "60,0 % (5)" in text and "Trop peu de réponses (1)" in text
