"""The commitments attached to the requests Guichet handles (SPEC H2 §3): the Accompagnement
Québec first appointment (by the next business day), the CSQ file-opening letter (30 business
days, suspended while the fees are unpaid); staff suspend a clock while a request is
incomplete and the person sees why and since when."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, staff
from guichet.audit.models import AuditEvent
from guichet.commitments import clocks
from guichet.commitments.models import Clock
from guichet.core.actor import Actor
from guichet.core.dates import Calendar
from guichet.core.events import delivered
from guichet.dossiers import services as dossier_services
from guichet.dossiers.kinds.accompagnement import casework
from guichet.dossiers.models import Dossier
from guichet.dossiers.tests.factories import agent
from guichet.dossiers.tests.factories import submitted as submitted_aq
from guichet.intake import services as intake
from guichet.intake.models import Application
from guichet.intake.tests.factories import candidate, fee_schedule, officer, period
from guichet.intake.tests.factories import submitted as submitted_csq

pytestmark = pytest.mark.django_db


def _next_business_day(day: date) -> date:
    return Calendar.around(day).add_business_days(day, 1)


def test_the_first_appointment_is_due_by_the_next_business_day_and_sending_it_stops_the_clock(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted_aq()
    received = timezone.localdate(dossier.submitted_at)
    clock = clocks.running(clocks.AQ_FIRST_APPOINTMENT, dossier)
    assert clock is not None and clock.due_on == _next_business_day(received)
    dossier.refresh_from_db()
    assert timezone.localdate(dossier.accompaniment.first_appointment_due_at) == clock.due_on
    # The confirmation message and the person's page give the date.
    assert dossier.owner is not None
    client.force_login(dossier.owner)
    page = client.get(reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})).content
    assert f"au plus tard le {clock.due_on.isoformat()}" in page.decode()
    confirmation = dossier.thread.messages.first()
    assert confirmation is not None and clock.due_on.isoformat() in confirmation.body
    worker = agent()
    dossier_services.transition(dossier, "assign", Actor.of(worker))
    Dossier.objects.filter(pk=dossier.pk).update(assigned_to=worker, status="in_progress")
    dossier.refresh_from_db()
    with delivered():
        casework.schedule_appointment(
            dossier=dossier,
            starts_at=timezone.now() + timedelta(days=3),
            mode="virtual",
            place=None,
            details="",
            actor=worker,
        )
    clock.refresh_from_db()
    assert clock.stopped_on == timezone.localdate() and clock.met


def test_a_csq_applications_letter_clock_waits_for_the_fees_then_runs_30_business_days(
    client, django_capture_on_commit_callbacks
) -> None:
    fee_schedule()
    period()
    applicant = candidate()
    dossier = submitted_csq(applicant)
    received = timezone.localdate(dossier.submitted_at)
    clock = clocks.running(clocks.CSQ_FILE_OPENING, dossier)
    assert clock is not None and clock.suspended and clock.suspended_since == received
    client.force_login(applicant)
    page = client.get(reverse("intake:home")).content.decode()
    assert f"délai suspendu depuis le {received.isoformat()}" in page
    assert "les frais exigés ne sont pas encore payés" in page
    # Paid three days later: the due date moves by the business days suspended.
    Clock.objects.filter(pk=clock.pk).update(
        received_on=received - timedelta(days=3), suspended_since=received - timedelta(days=3)
    )
    row = Dossier.objects.get(pk=dossier.pk)
    with delivered():
        dossier_services.transition(row, "pay", Actor.system())
        row.save(update_fields=["status", "updated_at"])
    clock.refresh_from_db()
    assert not clock.suspended
    start = received - timedelta(days=3)
    calendar = Calendar.around(start)
    waited = calendar.business_days_between(start, timezone.localdate())
    assert clock.suspended_days == waited
    assert clock.due_on == calendar.add_business_days(start, 30 + waited)
    page = client.get(reverse("intake:home")).content.decode()
    assert f"au plus tard le {clock.due_on.isoformat()}" in page
    with django_capture_on_commit_callbacks(execute=True), delivered():
        intake.open_file(application=Application.objects.get(dossier=dossier), actor=officer())
    clock.refresh_from_db()
    assert clock.stopped_on == timezone.localdate() and clock.met
    page = client.get(reverse("intake:home")).content.decode()
    assert f"fait le {timezone.localdate().isoformat()}" in page


def test_a_deleted_request_leaves_no_clock() -> None:
    """An unpaid application deleted after its delay (« dossier.deleted »): no clock is left."""
    fee_schedule()
    period()
    dossier = submitted_csq(candidate())
    assert Clock.objects.count() == 1
    Application.objects.filter(dossier=dossier).update(pay_by=timezone.now() - timedelta(days=1))
    with delivered():
        assert intake.delete_unpaid() == 1
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert Clock.objects.count() == 0


def test_staff_suspend_and_resume_a_clock_and_the_person_sees_why(client) -> None:
    dossier = submitted_aq()
    clock = clocks.running(clocks.AQ_FIRST_APPOINTMENT, dossier)
    assert clock is not None
    url = reverse("backoffice:clock_suspension", kwargs={"clock_id": clock.pk})
    client.force_login(staff(Role.PARTNER_STAFF, OrganisationFactory.create()))
    assert client.post(url, {"reason": "missing_documents"}).status_code == 403
    worker = agent()
    client.force_login(worker)
    office = reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})
    assert "Suspendre le délai" in client.get(office).content.decode()
    response = client.post(url, {"reason": "missing_documents"})
    assert response.status_code == 302 and response["Location"] == office
    clock.refresh_from_db()
    assert clock.suspended and clock.suspended_reason == "missing_documents"
    assert AuditEvent.objects.filter(action="commitment.suspended").count() == 1
    assert dossier.owner is not None
    client.force_login(dossier.owner)
    page = client.get(reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})).content
    assert "Motif : des documents sont manquants" in page.decode()
    client.force_login(worker)
    Clock.objects.filter(pk=clock.pk).update(suspended_since=clock.received_on)
    client.post(url, {"action": "resume"})
    clock.refresh_from_db()
    assert not clock.suspended and clock.suspended_days == Calendar.around(
        clock.received_on
    ).business_days_between(clock.received_on, timezone.localdate())


def test_an_agent_without_the_intake_role_cannot_touch_a_csq_clock(client) -> None:
    fee_schedule()
    period()
    dossier = submitted_csq(candidate())
    clock = Clock.objects.get()
    client.force_login(agent())
    url = reverse("backoffice:clock_suspension", kwargs={"clock_id": clock.pk})
    assert client.post(url, {"action": "resume"}).status_code == 404
    client.force_login(officer())
    application = Application.objects.get(dossier=dossier)
    assert client.post(url, {"action": "resume"})["Location"] == reverse(
        "backoffice:intake_application", kwargs={"application_id": application.pk}
    )


def test_staff_give_the_reason_of_a_breach(client) -> None:
    dossier = submitted_aq()
    clock = clocks.running(clocks.AQ_FIRST_APPOINTMENT, dossier)
    assert clock is not None
    url = reverse("backoffice:clock_breach_reason", kwargs={"clock_id": clock.pk})
    worker = agent()
    client.force_login(worker)
    client.post(url, {"reason": "Trop tôt"})
    clock.refresh_from_db()
    assert clock.breach_reason == ""  # no breach yet: refused
    Clock.objects.filter(pk=clock.pk).update(breached_on=timezone.localdate())
    office = reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})
    assert "Motif du manquement" in client.get(office).content.decode()
    client.post(url, {"reason": "Agente absente; dossier réattribué."})
    clock.refresh_from_db()
    assert clock.breach_reason == "Agente absente; dossier réattribué."
    assert AuditEvent.objects.filter(action="commitment.breach_explained").exists()
    assert "Agente absente" in client.get(office).content.decode()


def test_the_commissioner_gives_the_reason_of_a_late_acknowledgement(client) -> None:
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import UserFactory
    from guichet.complaints import services as complaints

    author = UserFactory.create()
    complaint = complaints.submit(actor=author, kind="complaint", subject="S", body="B")
    clock = clocks.running(complaints.ACKNOWLEDGEMENT, complaint)
    assert clock is not None
    Clock.objects.filter(pk=clock.pk).update(breached_on=timezone.localdate())
    url = reverse("backoffice:clock_breach_reason", kwargs={"clock_id": clock.pk})
    client.force_login(agent())  # not the commissioner: the complaint does not exist for them
    assert client.post(url, {"reason": "x"}).status_code == 404
    member = agent()
    User.objects.filter(pk=member.pk).update(handles_complaints=True)
    client.force_login(member)
    page = reverse("backoffice:complaint", kwargs={"complaint_number": complaint.number})
    assert "Motif du manquement" in client.get(page).content.decode()
    assert client.post(url, {"reason": "Période des fêtes"})["Location"] == page
    clock.refresh_from_db()
    assert clock.breach_reason == "Période des fêtes"


def test_late_first_appointment_and_file_opening_are_breaches_recorded_once() -> None:
    from django.core.management import call_command

    fee_schedule()
    period()
    aq = submitted_aq()
    csq = submitted_csq(candidate())
    row = Dossier.objects.get(pk=csq.pk)
    with delivered():
        dossier_services.transition(row, "pay", Actor.system())
        row.save(update_fields=["status", "updated_at"])
    long_ago = timezone.localdate() - timedelta(days=60)
    Clock.objects.update(received_on=long_ago, due_on=long_ago + timedelta(days=1))
    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("run_commitment_jobs", stdout=out)
    call_command("run_commitment_jobs", stdout=out)
    for target in (aq, csq):
        clock = Clock.objects.get(target_id=target.pk)
        assert clock.breached_on == timezone.localdate() and clock.late
    with_letter = Application.objects.get(dossier=csq)
    with delivered():
        intake.open_file(application=with_letter, actor=officer())
    letter = Clock.objects.get(target_id=csq.pk)
    assert letter.stopped_on == timezone.localdate() and not letter.met
    assert letter.breached_on == timezone.localdate()  # kept, not recorded again
