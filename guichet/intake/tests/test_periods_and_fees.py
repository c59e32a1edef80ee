"""The officers' periods (issue 17 §4): the quota changes until the opening, then is locked,
each change audited; the fees (§8): owed for the family, payable until 30 days after
submission whatever the method, counted once paid, with the confirmations."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from guichet.audit.models import AuditEvent
from guichet.core.refusals import Refused
from guichet.dossiers.models import DossierStatus
from guichet.intake import services
from guichet.intake.kinds.csq import kind as csq
from guichet.intake.models import Application, IntakePeriod, Place, PlaceStatus
from guichet.payments import services as payments
from guichet.payments.models import Method, PaymentStatus
from guichet.payments.purposes import get_purpose

from .factories import candidate, fee_schedule, officer, period, submitted

pytestmark = pytest.mark.django_db


def _values(**changes: Any) -> dict[str, Any]:
    opens = timezone.now() + timedelta(days=10)
    return {
        "programme": "prtq",
        "opens_at": opens,
        "closes_at": opens + timedelta(days=14),
        "quota": 5000,
        "allocation": "fifo",
        "visit_minutes": 60,
        "accepts_job_offer": True,
        "accepts_temporary_residents": True,
        "refuse_mobile": False,
    } | changes


def test_the_quota_changes_until_the_opening_then_is_locked_and_every_change_audited() -> None:
    agent = officer()
    created = services.save_period(period=None, values=_values(), actor=agent)
    assert created.quota == 5000 and not created.refuse_mobile  # off by default
    changed = services.save_period(period=created, values={"quota": 5073}, actor=agent)
    assert changed.quota == 5073
    event = AuditEvent.objects.filter(action="intake.period_changed").get()
    assert event.details == {"quota_before": 5000, "quota_after": 5073}
    IntakePeriod.objects.filter(pk=created.pk).update(
        opens_at=timezone.now() - timedelta(minutes=1)
    )
    created.refresh_from_db()
    with pytest.raises(Refused) as refusal:
        services.save_period(period=created, values={"quota": 6000}, actor=agent)
    assert refusal.value.code == "quota_locked" and refusal.value.field == "quota"
    with pytest.raises(Refused):
        services.save_period(period=None, values=_values(), actor=candidate())


def test_the_quota_never_goes_below_the_places_taken() -> None:
    opened = period(quota=3, opens_at=timezone.now() + timedelta(days=1))
    IntakePeriod.objects.filter(pk=opened.pk).update(taken=2)
    opened.refresh_from_db()
    with pytest.raises(Refused) as refusal:
        services.save_period(period=opened, values={"quota": 1}, actor=officer())
    assert refusal.value.code == "quota_below_taken"


def test_fees_for_the_family_paid_by_mail_within_30_days_count_the_application(
    django_capture_on_commit_callbacks: Any,
) -> None:
    fee_schedule()
    period(quota=2)
    dossier = submitted()
    purpose = get_purpose(csq.CODE)
    assert purpose is not None
    lines = payments.owed(purpose, str(dossier.pk), on=date.today())
    # The principal applicant, then the spouse and the two children.
    assert [(line.fee.code, line.quantity) for line in lines] == [
        ("csq-requerant-principal", 1),
        ("csq-personne-a-charge", 3),
    ]
    owner = dossier.owner
    assert owner is not None
    slip = payments.start_mail_payment(purpose=purpose, object_id=str(dossier.pk), actor=owner)
    application = Application.objects.get(dossier=dossier)
    assert slip.method == Method.MAIL and slip.expires_at == application.pay_by
    with django_capture_on_commit_callbacks(execute=True):
        payments.record_envelope(
            payment=slip,
            method="certified_cheque",
            amount_cents=slip.amount_cents,
            received_on=timezone.localdate(),
            actor=officer(),
        )
    dossier.refresh_from_db()
    slip.refresh_from_db()
    assert slip.status == PaymentStatus.SUCCESS
    assert dossier.status == DossierStatus.PAID
    assert Place.objects.get().status == PlaceStatus.PAID
    kinds = set(dossier.documents.values_list("kind", flat=True))
    assert {"csq-confirmation-paiement", "csq-sommaire"} <= kinds
    assert "csq-lettre-ouverture" not in kinds
    # The officer sends the file-opening letter, once.
    agent = officer()
    with django_capture_on_commit_callbacks(execute=True):
        services.open_file(application=application, actor=agent)
    assert dossier.documents.filter(kind="csq-lettre-ouverture").exists()
    with pytest.raises(Refused):
        services.open_file(application=application, actor=agent)


def test_after_30_days_no_payment_can_start() -> None:
    fee_schedule()
    period()
    dossier = submitted()
    Application.objects.filter(dossier=dossier).update(pay_by=timezone.now() - timedelta(hours=1))
    purpose = get_purpose(csq.CODE)
    assert purpose is not None and dossier.owner is not None
    with pytest.raises(Refused):
        payments.start_mail_payment(purpose=purpose, object_id=str(dossier.pk), actor=dossier.owner)
    assert not purpose.may_pay(dossier.owner, str(dossier.pk))
    assert not purpose.may_pay(candidate(), str(dossier.pk))  # only its owner
