"""Back office: calendars, capacity, cancelling a session, attendance (SPEC D1, D2, D5)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, staff
from guichet.appointments.models import Booking, BookingStatus, Session, SessionStatus
from guichet.appointments.services import book, cancel_session, change_capacity, plan_series
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.audit.models import AuditEvent
from guichet.core.actor import Source
from guichet.core.refusals import Refused


@pytest.mark.django_db
def test_a_weekly_series_skips_quebec_statutory_holidays() -> None:
    # Mondays from 2026-05-04: 2026-05-18 is the Journée nationale des patriotes.
    plan = plan_series(date(2026, 5, 4), weeks=4)
    assert plan.dates == [date(2026, 5, 4), date(2026, 5, 11), date(2026, 5, 25)]
    assert plan.skipped == [(date(2026, 5, 18), "Journée nationale des patriotes")]
    assert len(plan_series(date(2026, 5, 4), weeks=4, skip_holidays=False).dates) == 4


@pytest.mark.django_db
def test_partner_staff_create_a_series_for_their_organisation(client: HttpClient) -> None:
    organisation = OrganisationFactory.create()
    kind = AppointmentTypeFactory.create()
    kind.organisations.add(organisation)
    place = PlaceFactory.create(organisation=organisation)
    other_place = PlaceFactory.create()  # another organisation's
    user = staff(Role.PARTNER_STAFF, organisation)
    client.force_login(user)
    url = reverse("backoffice:create")
    html = client.get(url).content.decode()
    assert place.name in html and other_place.name not in html
    data = {
        "appointment_type": kind.pk,
        "place": other_place.pk,
        "first_date": "2027-06-17",
        "start_time": "13:00",
        "duration_minutes": "180",
        "capacity": "25",
        "weeks": "3",
        "skip_holidays": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 422 and not Session.objects.exists()
    assert 'value="2027-06-17"' in response.content.decode()  # what was typed is kept
    response = client.post(url, {**data, "place": place.pk})
    assert response.status_code == 302
    # Thursdays 17 June 2027, 24 June (Fête nationale: skipped), 1 July (Fête du Canada: skipped).
    starts = [timezone.localtime(s.starts_at) for s in Session.objects.order_by("starts_at")]
    assert [s.date() for s in starts] == [date(2027, 6, 17)]
    assert starts[0].time() == time(13, 0)
    listing = client.get(reverse("backoffice:calendar"), follow=True).content.decode()
    assert "Fête nationale du Québec" in listing and "Fête du Canada" in listing
    assert AuditEvent.objects.filter(action="sessions.created").exists()


@pytest.mark.django_db
def test_partner_staff_never_reach_another_organisations_session(client: HttpClient) -> None:
    mine, theirs = OrganisationFactory.create(), OrganisationFactory.create()
    own = SessionFactory.create(place=PlaceFactory.create(organisation=mine))
    foreign = SessionFactory.create(place=PlaceFactory.create(organisation=theirs))
    person = registered_client()
    booking = book(client=person, session=foreign, actor=user_of(person))
    client.force_login(staff(Role.PARTNER_STAFF, mine))
    listing = client.get(reverse("backoffice:calendar")).content.decode()
    assert reverse("backoffice:session", kwargs={"session_id": own.pk}) in listing
    assert reverse("backoffice:session", kwargs={"session_id": foreign.pk}) not in listing
    kwargs = {"session_id": foreign.pk}
    for name in ("session", "cancel", "roster_csv"):
        assert client.get(reverse(f"backoffice:{name}", kwargs=kwargs)).status_code == 404
    for name, data in (("capacity", {"capacity": "1"}), ("cancel", {})):
        assert client.post(reverse(f"backoffice:{name}", kwargs=kwargs), data).status_code == 404
    url = reverse("backoffice:attendance", kwargs={**kwargs, "booking_id": booking.pk})
    assert client.post(url, {"status": "missed"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == SessionStatus.SCHEDULED and foreign.capacity == 25
    # Clients and employers have no back office at all.
    client.force_login(user_of(person))
    assert client.get(reverse("backoffice:calendar")).status_code == 403


@pytest.mark.django_db
def test_ministry_staff_see_every_organisation_with_a_filter(client: HttpClient) -> None:
    first, second = OrganisationFactory.create(name="Premier"), OrganisationFactory.create()
    a = SessionFactory.create(place=PlaceFactory.create(organisation=first))
    b = SessionFactory.create(place=PlaceFactory.create(organisation=second))
    client.force_login(staff(Role.MINISTRY_STAFF))
    html = client.get(reverse("backoffice:calendar")).content.decode()
    assert f"/{a.pk}/" in html and f"/{b.pk}/" in html
    html = client.get(reverse("backoffice:calendar"), {"organisme": first.pk}).content.decode()
    assert f"/{a.pk}/" in html and f"/{b.pk}/" not in html


@pytest.mark.django_db
def test_capacity_never_goes_below_the_seats_taken(client: HttpClient) -> None:
    organisation = OrganisationFactory.create()
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    for n in range(3):
        person = registered_client(n)
        book(client=person, session=session, actor=user_of(person))
    user = staff(Role.PARTNER_STAFF, organisation)
    with pytest.raises(Refused):
        change_capacity(session=session, capacity=2, actor=user)
    change_capacity(session=session, capacity=3, actor=user)
    session.refresh_from_db()
    assert session.capacity == 3
    client.force_login(user)
    url = reverse("backoffice:capacity", kwargs={"session_id": session.pk})
    response = client.post(url, {"capacity": "1"})
    assert response.status_code == 422
    assert "occupent déjà plus de places" in response.content.decode()
    assert client.post(url, {"capacity": "10"}).status_code == 302
    session.refresh_from_db()
    assert session.capacity == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_capacity_cuts_racing_bookings_never_overbook() -> None:
    organisation = OrganisationFactory.create()
    session = SessionFactory.create(
        place=PlaceFactory.create(organisation=organisation), capacity=20
    )
    people = [registered_client(n) for n in range(15)]
    user = staff(Role.PARTNER_STAFF, organisation)
    barrier = threading.Barrier(len(people) + 1)

    def attempt(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            if n == len(people):
                change_capacity(session=session, capacity=5, actor=user)
                return "cut"
            book(client=people[n], session=session, actor=user_of(people[n]))
            return "booked"
        except (Refused, Refused) as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people) + 1) as pool:
        outcomes = list(pool.map(attempt, range(len(people) + 1)))
    session.refresh_from_db()
    booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count()
    assert booked == session.seats_taken <= session.capacity
    if outcomes[-1] == "cut":
        assert session.capacity == 5 and booked <= 5
    else:
        assert outcomes[-1] == "below_taken" and booked > 5


@pytest.mark.django_db
def test_cancelling_a_session_cancels_and_notifies_every_booked_client(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    organisation = OrganisationFactory.create()
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    people = [registered_client(n) for n in range(3)]
    for person in people:
        book(client=person, session=session, actor=user_of(person))
    user = staff(Role.PARTNER_STAFF, organisation)
    client.force_login(user)
    url = reverse("backoffice:cancel", kwargs={"session_id": session.pk})
    assert "3 clients sont inscrits" in client.get(url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.seats_taken == 0
    statuses = set(Booking.objects.values_list("status", "changed_source"))
    assert statuses == {(BookingStatus.CANCELLED, Source.PARTNER)}
    cancellations = [m for m in mail.outbox if m.subject == "Annulation de votre rendez-vous"]
    assert len(cancellations) == 3
    with pytest.raises(Refused):
        cancel_session(session=session, actor=user)


@pytest.mark.django_db
def test_attendance_roster_and_csv(client: HttpClient) -> None:
    organisation = OrganisationFactory.create()
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    person = registered_client()
    booking = book(client=person, session=session, actor=user_of(person))
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    detail = reverse("backoffice:session", kwargs={"session_id": session.pk})
    attendance = reverse(
        "backoffice:attendance", kwargs={"session_id": session.pk, "booking_id": booking.pk}
    )
    html = client.get(detail).content.decode()
    assert person.client_number in html and attendance not in html  # not begun yet
    client.post(attendance, {"status": "completed"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert attendance in client.get(detail).content.decode()
    client.post(attendance, {"status": "completed"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and booking.changed_source == Source.PARTNER
    client.post(attendance, {"status": "cancelled"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    response = client.get(reverse("backoffice:roster_csv", kwargs={"session_id": session.pk}))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Numéro de client" in text and person.client_number in text and "Complété" in text
    # The client sees the status on « Sélectionner un rendez-vous ».
    client.force_login(user_of(person))
    assert "Complété" in client.get(reverse("appointments:mine")).content.decode()


@pytest.mark.django_db
def test_dashboard_shows_fill_waitlist_and_no_show_rate_of_own_organisation(
    client: HttpClient,
) -> None:
    from guichet.appointments.services import join_waitlist
    from guichet.appointments.services import mark_missed as run_missed

    organisation = OrganisationFactory.create(name="Mon organisme")
    other = OrganisationFactory.create(name="Autre organisme")
    place = PlaceFactory.create(organisation=organisation)
    full = SessionFactory.create(place=place, capacity=2)
    SessionFactory.create(place=place, capacity=2)
    people = [registered_client(n) for n in range(3)]
    for person in people[:2]:
        book(client=person, session=full, actor=user_of(person))
    join_waitlist(client=people[2], session=full, actor=user_of(people[2]))
    # Two past appointments: one completed, one missed.
    past = SessionFactory.create(place=place)
    done, missed = (registered_client(10), registered_client(11))
    staff_user = staff(Role.PARTNER_STAFF, organisation)
    for person in (done, missed):
        book(client=person, session=past, actor=staff_user)
    Session.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=3))
    run_missed()
    Booking.objects.filter(session=past, client=done).update(status=BookingStatus.COMPLETED)
    SessionFactory.create(place=PlaceFactory.create(organisation=other))
    client.force_login(staff_user)
    html = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "Mon organisme" in html and "Autre organisme" not in html
    # 2 upcoming sessions, 2 of 4 seats taken: 50 %; 1 waiting; 1 missed of 2: 50 %.
    row = html[html.index("Mon organisme") :]
    cells = [c.split(">", 1)[1].split("<")[0].strip() for c in row.split("<td")[1:5]]
    assert cells == ["2", "50 %", "1", "50 %"]


@pytest.mark.django_db
def test_a_multi_module_schedule_and_a_holiday_refused_next_to_the_date(
    client: HttpClient,
) -> None:
    from guichet.appointments.models import SessionModule

    organisation = OrganisationFactory.create()
    kind = AppointmentTypeFactory.create()
    kind.organisations.add(organisation)
    place = PlaceFactory.create(organisation=organisation)
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    url = reverse("backoffice:create")
    data = {
        "appointment_type": kind.pk,
        "place": place.pk,
        "first_date": "2027-03-17",
        "start_time": "17:00",
        "duration_minutes": "180",
        "capacity": "20",
        "weeks": "1",
        "skip_holidays": "on",
        "modules": "2027-03-18 17:00 180\nmauvaise ligne",
    }
    response = client.post(url, data)
    assert response.status_code == 422 and "Ligne 2" in response.content.decode()
    response = client.post(url, {**data, "modules": "2027-03-18 17:00 180", "weeks": "2"})
    assert response.status_code == 422 and "indiquez 1 semaine" in response.content.decode()
    response = client.post(url, {**data, "modules": "2027-03-20 09:30 180\n2027-03-18 17:00 180"})
    assert response.status_code == 302
    session = Session.objects.get()
    modules = list(SessionModule.objects.filter(session=session).order_by("position"))
    assert [timezone.localtime(m.starts_at).strftime("%m-%d %H:%M") for m in modules] == [
        "03-17 17:00",
        "03-18 17:00",
        "03-20 09:30",
    ]
    # A single session on a statutory holiday: refused, with the holiday named.
    response = client.post(url, {**data, "first_date": "2027-06-24", "modules": ""})
    assert response.status_code == 422
    assert "Fête nationale du Québec" in response.content.decode()


@pytest.mark.django_db
def test_the_roster_prints_as_a_tagged_pdf(client: HttpClient) -> None:
    import io

    import pypdf

    organisation = OrganisationFactory.create(name="Carrefour d'aide aux nouveaux arrivants")
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    person = registered_client()
    book(client=person, session=session, actor=user_of(person))
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    response = client.get(reverse("backoffice:roster_pdf", kwargs={"session_id": session.pk}))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Liste des participants" in text and person.client_number in text
    assert f"{person.last_name}, {person.first_name}" in text
    assert "Carrefour d'aide aux nouveaux arrivants" in text
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"]  # tagged (PDF/UA)
    assert catalog["/Lang"] == "fr"
    foreign = SessionFactory.create()
    url = reverse("backoffice:roster_pdf", kwargs={"session_id": foreign.pk})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_per_module_attendance_of_a_multi_module_schedule(client: HttpClient) -> None:
    from guichet.appointments.models import ModuleAttendance, SessionModule

    organisation = OrganisationFactory.create()
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    now = timezone.now()
    first = SessionModule.objects.create(
        session=session, position=1, starts_at=now - timedelta(days=1), duration_minutes=180
    )
    SessionModule.objects.create(
        session=session, position=2, starts_at=now + timedelta(days=1), duration_minutes=180
    )
    staff_user = staff(Role.PARTNER_STAFF, organisation)
    here, away = registered_client(1), registered_client(2)
    a = book(client=here, session=session, actor=staff_user)
    b = book(client=away, session=session, actor=staff_user)
    client.force_login(staff_user)
    url = reverse("backoffice:module_attendance", kwargs={"session_id": session.pk, "position": 1})
    html = client.get(url).content.decode()
    assert f'value="{a.pk}"' in html and f'value="{b.pk}"' in html
    assert client.post(url, {"present": [str(a.pk)]}).status_code == 302
    assert dict(ModuleAttendance.objects.values_list("booking_id", "present")) == {
        a.pk: True,
        b.pk: False,
    }
    assert ModuleAttendance.objects.filter(module=first).count() == 2
    html = client.get(url).content.decode()
    assert f'value="{a.pk}" id="present-{a.pk}" checked' in html
    # Module 2 has not begun: nothing recorded.
    later = reverse(
        "backoffice:module_attendance", kwargs={"session_id": session.pk, "position": 2}
    )
    client.post(later, {"present": [str(a.pk)]})
    assert ModuleAttendance.objects.count() == 2
    # Another organisation's staff: not found.
    client.force_login(staff(Role.PARTNER_STAFF, OrganisationFactory.create()))
    assert client.get(url).status_code == 404
    assert client.post(url, {"present": [str(b.pk)]}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_date": "9999-12-20"}, "first_date", "entre 1900-01-01 et 2100-12-31"),
        ({"first_date": "0001-01-01"}, "first_date", "entre 1900-01-01 et 2100-12-31"),
        ({"first_date": "2020-01-06"}, "first_date", "dans le passé"),
        ({"first_date": "2099-01-05"}, "first_date", "730 jours"),
        ({"weeks": "52", "first_date": None}, "weeks", "730 jours"),
        ({"modules": "9999-12-31 23:59 600"}, "modules", "730 jours"),
    ],
)
def test_session_dates_have_sane_bounds(
    client: HttpClient, changes: dict[str, Any], field: str, message: str
) -> None:
    """Security finding 8: a module `9999-12-31 23:59 600` was accepted and then the appointment
    search answered 500 for every client; 0001-01-01 and a series from 9999-12-20 too."""
    organisation = OrganisationFactory.create()
    kind = AppointmentTypeFactory.create()
    kind.organisations.add(organisation)
    place = PlaceFactory.create(organisation=organisation)
    client.force_login(staff(Role.PARTNER_STAFF, organisation))
    soon = timezone.localdate() + timedelta(days=700)
    data = {
        "appointment_type": kind.pk,
        "place": place.pk,
        "first_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "start_time": "13:00",
        "duration_minutes": "60",
        "capacity": "5",
        "weeks": "1",
    }
    data.update({k: v for k, v in changes.items() if v is not None})
    if changes.get("first_date", "") is None:
        data["first_date"] = soon.isoformat()
    response = client.post(reverse("backoffice:create"), data)
    assert response.status_code == 422 and not Session.objects.exists()
    assert message in response.content.decode()
