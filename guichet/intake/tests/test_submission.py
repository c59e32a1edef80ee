"""Submission and the quota (issue 17 §5-8): credentials typed again, the representative's box,
the quota reached, the categories outside it, duplicates set aside, the fees within 30 days,
the 31st day."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from guichet.audit.models import AuditEvent
from guichet.core.refusals import Refused
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.intake import quota, services
from guichet.intake.kinds.csq import kind as csq
from guichet.intake.models import (
    Application,
    Category,
    IntakePeriod,
    Place,
    PlaceStatus,
    Reservation,
)

from .factories import application, candidate, credentials, officer, period, submitted

pytestmark = pytest.mark.django_db


def test_a_complete_application_is_ready_and_submits_into_a_place(
    django_capture_on_commit_callbacks: Any,
) -> None:
    opened = period(quota=2)
    user = candidate()
    dossier = application(user)
    assert dossiers.submission_errors(dossier) == []
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.submit(dossier=dossier, actor=user, **credentials(user))
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.status_label == "Soumise, en attente du paiement"
    app = Application.objects.get(dossier=dossier)
    assert app.counted and app.category == Category.QUOTA and app.period == opened
    assert app.pay_by is not None and dossier.submitted_at is not None
    assert abs(app.pay_by - dossier.submitted_at - timedelta(days=30)) < timedelta(seconds=1)
    opened.refresh_from_db()
    assert (opened.taken, opened.reserved) == (1, 0)
    assert Place.objects.get(application=app).status == PlaceStatus.HELD
    # The confirmation in the messages and « Consultation des documents »; never the whole form.
    assert "admise dans le nombre maximal" in dossier.thread.messages.get().body
    kinds = set(dossier.documents.values_list("kind", flat=True))
    assert kinds == {"csq-confirmation-quota", "csq-recapitulatif-actions"}


def test_submission_asks_for_the_credentials_again() -> None:
    period()
    user = candidate()
    dossier = application(user)
    right = credentials(user)
    for wrong in (
        right | {"user_code": "quelquun"},
        right | {"password": "pas-le-bon"},
        right | {"answers": {"first_flight": "Montréal", "first_pet": "minou"}},  # case matters
        right | {"answers": {"first_flight": "Montréal", "first_pet": ""}},  # every question
    ):
        with pytest.raises(Refused) as refusal:
            services.submit(dossier=dossier, actor=user, **wrong)
        assert refusal.value.code == "credentials"
    dossier.refresh_from_db()
    assert dossier.is_draft
    assert AuditEvent.objects.filter(action="intake.reauthentication_failed").count() == 4


def test_the_representative_signs_when_named() -> None:
    period()
    user = candidate()
    dossier = application(user)
    dossier.data["representant"] = {
        "kind": "avocat",
        "last_name": "Tremblay",
        "first_name": "Louise",
        "member_number": "B12345",
        "email": "louise@example.org",
        "signs": "oui",
    }
    dossier.save()
    with pytest.raises(Refused) as refusal:
        services.submit(dossier=dossier, actor=user, **credentials(user))
    assert refusal.value.field == "representative_signature"
    services.submit(dossier=dossier, actor=user, representative_signature=True, **credentials(user))
    assert Application.objects.get(dossier=dossier).representative_signed


def test_no_open_period_no_submission_but_categories_outside_the_quota_may() -> None:
    later = period(opens_at=timezone.now() + timedelta(days=3))
    user = candidate()
    dossier = application(user)
    blocked = csq.submission_blocked(dossier)
    assert blocked is not None and blocked.code == "no_period"
    with pytest.raises(Refused) as refusal:
        services.submit(dossier=dossier, actor=user, **credentials(user))
    assert refusal.value.code == "no_period"
    # A validated job offer submits at any time, outside the quota.
    dossier.data["offre"] = {
        "has_offer": "oui",
        "offer_number": "A0000123",
        "employer": "Boulangerie Laurentienne inc.",
        "job_title": "Boulangère",
        "city": "Québec",
    }
    dossier.save()
    dossier = services.submit(dossier=dossier, actor=user, **credentials(user))
    # No record confirms the number: an officer does (issue 29), then it is submitted.
    assert dossier.status == DossierStatus.PENDING
    services.confirm_exemption(
        application=Application.objects.get(dossier=dossier), actor=officer()
    )
    dossier.refresh_from_db()
    app = Application.objects.get(dossier=dossier)
    assert app.category == Category.JOB_OFFER and app.period == later and app.counted
    assert not Place.objects.exists()
    # Unless the period says this category may not.
    later.accepts_temporary_residents = False
    later.save()
    other = candidate()
    resident = application(other, passport="CA9988776", first_name="Ana")
    resident.data["quebec"]["temporary_resident"] = "oui"
    resident.save()
    blocked = csq.submission_blocked(resident)
    assert blocked is not None and blocked.code == "category_not_accepted"


def test_the_quota_reached_the_submission_cannot_be_activated() -> None:
    opened = period(quota=1)
    submitted(passport="AA1111111")
    user = candidate()
    dossier = application(user, passport="BB2222222")
    blocked = csq.submission_blocked(dossier)
    assert blocked is not None and blocked.code == "quota_reached"
    with pytest.raises(Refused) as refusal:
        services.submit(dossier=dossier, actor=user, **credentials(user))
    assert refusal.value.code == "quota_reached"
    dossier.refresh_from_db()
    assert dossier.is_draft and not Application.objects.get(dossier=dossier).counted
    opened.refresh_from_db()
    assert opened.taken == 1


def test_a_reservation_holds_a_place_that_its_holder_uses() -> None:
    opened = period(quota=2)
    admitted, other = candidate(), candidate()
    held = quota.reserve(period=opened, user=admitted)
    assert quota.reserve(period=opened, user=admitted) == held  # idempotent
    quota.reserve(period=opened, user=other)
    opened.refresh_from_db()
    assert (opened.taken, opened.reserved) == (0, 2)
    # Without a reservation, nobody else gets in: both places are held.
    late = candidate()
    with pytest.raises(Refused):
        quota.reserve(period=opened, user=late)
    dossier = application(late, passport="CC3333333")
    with pytest.raises(Refused) as refusal:
        services.submit(dossier=dossier, actor=late, **credentials(late))
    # Not « atteint »: the places are only reserved, and may come back (issue 29 item 7).
    assert refusal.value.code == "places_reserved"
    # The admitted candidate submits into the place reserved for them.
    services.submit(dossier=application(admitted), actor=admitted, **credentials(admitted))
    opened.refresh_from_db()
    assert (opened.taken, opened.reserved) == (1, 1)
    assert Place.objects.get().via_reservation
    # The other window ends unused: its place goes back, once.
    later = timezone.now() + timedelta(minutes=11)
    assert quota.expire_reservations(now=later) == 1
    assert quota.expire_reservations(now=later) == 0
    opened.refresh_from_db()
    assert (opened.taken, opened.reserved) == (1, 0)
    assert Reservation.objects.filter(status="expired").count() == 1


def test_a_duplicate_is_set_aside_with_its_reason_and_never_counted(
    django_capture_on_commit_callbacks: Any,
) -> None:
    opened = period(quota=5)
    submitted()
    twin = candidate()
    # Same person: accents, case, spaces and the order of the names do not hide it.
    dossier = application(twin, last_name="Camille", first_name="MOREAU ", passport="fr 1234567")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.submit(dossier=dossier, actor=twin, **credentials(twin))
    assert dossier.status == DossierStatus.SET_ASIDE
    app = Application.objects.get(dossier=dossier)
    assert not app.counted and "doublons" in app.set_aside_reason
    assert "écartée" in dossier.thread.messages.get().body
    opened.refresh_from_db()
    assert opened.taken == 1
    assert not dossier.documents.exists()


def test_an_identity_changed_after_submission_flags_the_account_and_staff_can_refuse() -> None:
    period()
    user = candidate()
    dossier = submitted(user)
    assert services.flag_transfer(user) == 1
    app = Application.objects.get(dossier=dossier)
    assert app.transfer_flagged_at is not None
    with pytest.raises(Refused):
        services.refuse_transferred(application=app, reason="x", actor=user)
    services.refuse_transferred(application=app, reason="Compte cédé", actor=officer())
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REFUSED
    assert Place.objects.get().status == PlaceStatus.RELEASED
    assert IntakePeriod.objects.get().taken == 0


def test_possible_duplicates_are_found_after_submission(
    django_capture_on_commit_callbacks,
) -> None:
    period()
    with django_capture_on_commit_callbacks(execute=True):
        submitted(passport="DD4444444")
        submitted(passport="DD4444444", first_name="Camila")  # same passport, another name
        submitted(passport="EE5555555", first_name="Autre", last_name="Personne")
    # Flagged at submission, both of them; the nightly scan finds nothing more.
    assert Application.objects.filter(possible_duplicate=True).count() == 2
    Application.objects.update(possible_duplicate=False)
    assert services.scan_duplicates() == 2
    assert Application.objects.filter(possible_duplicate=True).count() == 2


def test_unpaid_applications_are_deleted_on_day_31_and_their_place_released() -> None:
    opened = period(quota=3)
    unpaid = submitted(passport="FF6666666")
    paid = submitted(passport="GG7777777", first_name="Paule")

    Dossier.objects.filter(pk=paid.pk).update(status=DossierStatus.PAID)
    day_30 = timezone.now() + timedelta(days=29, hours=23)
    assert services.delete_unpaid(now=day_30) == 0
    day_31 = timezone.now() + timedelta(days=30, minutes=1)
    assert services.delete_unpaid(now=day_31) == 1
    assert services.delete_unpaid(now=day_31) == 0  # idempotent
    assert not Dossier.objects.filter(pk=unpaid.pk).exists()
    assert Dossier.objects.filter(pk=paid.pk).exists()
    opened.refresh_from_db()
    assert opened.taken == 1
    place = Place.objects.get(dossier_number=unpaid.number)
    assert place.status == PlaceStatus.RELEASED and place.application is None
    from guichet.core.models import Event

    released = Event.objects.get(type="place.released")
    assert released.subject_id == str(place.pk)
    assert released.payload == {"from": "held", "to": "released"}
    assert AuditEvent.objects.filter(action="intake.unpaid_deleted").count() == 1
    from guichet.messaging.models import Thread

    notice = Thread.objects.get(owner=unpaid.owner, topic="intake").messages.get()
    assert "supprimée" in notice.body


def test_changing_ones_identity_in_the_profile_after_submission_flags_the_account() -> None:
    from django.test import Client
    from django.urls import reverse

    from guichet.accounts.tests.test_identity_once import PROFILE
    from guichet.dossiers.tests.factories import with_profile

    period()
    user = with_profile(candidate(), passport_last_name="Brandford", passport_first_name="Bernard")
    dossier = submitted(user)
    browser = Client()
    browser.force_login(user)
    url = reverse("accounts:personal_profile")
    same = {**PROFILE, "sex": "F", "birth_date": "2000-01-01"}
    assert browser.post(url, {**same, "address_line1": "1, rue Neuve"}).status_code == 302
    assert Application.objects.get(dossier=dossier).transfer_flagged_at is None  # an address
    assert browser.post(url, {**same, "passport_last_name": "Autre"}).status_code == 302
    assert Application.objects.get(dossier=dossier).transfer_flagged_at is not None


def test_a_period_may_refuse_tablets_and_phones_and_does_not_by_default() -> None:
    opened = period()
    user = candidate()
    dossier = application(user)
    assert not opened.refuse_mobile
    IntakePeriod.objects.filter(pk=opened.pk).update(refuse_mobile=True)
    with pytest.raises(Refused) as refusal:
        services.submit(dossier=dossier, actor=user, from_mobile=True, **credentials(user))
    assert refusal.value.code == "mobile_refused"
    assert services.submit(dossier=dossier, actor=user, **credentials(user)).status == "submitted"


def test_a_draft_is_kept_90_days_from_its_first_save_then_deleted_with_warnings() -> None:
    user = candidate()
    dossier = application(user, complete=False)
    assert dossier.deadline == timezone.localdate() + timedelta(days=90)
    assert dossiers.warn_drafts(today=dossier.deadline - timedelta(days=14)) == 1
    assert "supprimé" in dossier.thread.messages.get().body
    assert dossiers.purge_expired_drafts(today=dossier.deadline + timedelta(days=1)) == 1
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert not Application.objects.exists()
    # The account may then start again (one application at a time).
    assert services.start(actor=user).is_draft
