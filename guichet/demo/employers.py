"""The demo's employers' portal (seed 004): `demoEmploy1`, primary user of a registered company,
with a CléGC and the four security questions asked at each sign-in; `demoEmploy2`, whose
registration waits for the ministry's verification (« Employeurs » in the back office)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import SecurityAnswer, SecurityQuestion, User
from guichet.core.actor import as_actor
from guichet.core.transitions import step
from guichet.employers import services
from guichet.employers.models import (
    REGISTRATION_TRANSITIONS,
    Company,
    Credentials,
    Portal,
    RecoveryAnswer,
    Registration,
    RegistrationStatus,
)
from guichet.numbering.services import next_value
from guichet.organisations.models import Organisation, OrganisationKind

# Published in the README with the accounts.
# The CléGC's three recovery questions (one of them is asked, always the same for a user name).
RECOVERY_ANSWERS = [
    (SecurityQuestion.FIRST_FLIGHT, "Paris"),
    (SecurityQuestion.CHILDHOOD_STREET, "Rue Principale"),
    (SecurityQuestion.FAVOURITE_BOOK, "Maria Chapdelaine"),
]
MEMORABLE_PERSON = "Tante Jeanne"
MEMORABLE_DATE = date(1990, 5, 17)
ANSWERS = [
    (SecurityQuestion.FIRST_SCHOOL, "Saint-Jean"),
    (SecurityQuestion.HOBBY, "Ski"),
    (SecurityQuestion.FIRST_PET, "Minou"),
    (SecurityQuestion.FAVOURITE_DISH, "Tourtiere"),
]

COMPANY = {
    "business_number": "123456789",
    "legal_name": "Boulangerie Laurentienne inc.",
    "operating_name": "Boulangerie Laurentienne",
}
PENDING = {
    "business_number": "987654321",
    "legal_name": "Érablière du Nord inc.",
    "operating_name": "Érablière du Nord",
}


def _credentials(user: User) -> None:
    Credentials.objects.update_or_create(
        user=user,
        defaults={
            "terms_accepted_at": timezone.now(),
            "memorable_person_hash": make_password(MEMORABLE_PERSON.casefold()),
            "memorable_person_hint": "Une parente",
            "memorable_date_hash": make_password(MEMORABLE_DATE.isoformat()),
            "memorable_date_hint": "Un anniversaire",
        },
    )
    credentials = Credentials.objects.get(user=user)
    RecoveryAnswer.objects.filter(credentials=credentials).delete()
    RecoveryAnswer.objects.bulk_create(
        RecoveryAnswer(
            credentials=credentials, position=n, question=q, answer_hash=make_password(a)
        )
        for n, (q, a) in enumerate(RECOVERY_ANSWERS, start=1)
    )
    SecurityAnswer.objects.filter(user=user).delete()
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, position=n, question=q, answer_hash=make_password(a))
        for n, (q, a) in enumerate(ANSWERS, start=1)
    )


def _registration(user: User, company: dict[str, str], phone: str) -> Registration:
    """The registration as answered, signed and transmitted (the declaration's digest kept)."""
    now = timezone.now()
    registration, _ = Registration.objects.get_or_create(user=user)
    for field, value in {
        "portal_terms_accepted_at": now - timedelta(days=20),
        "welcomed": True,
        "has_pin": False,
        "portal": Portal.EMPLOYERS,
        "reregistering": False,
        "questions_set": True,
        "started": True,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "job_title": "Directeur des ressources humaines",
        "phone": phone,
        "email": user.email,
        "contact_done": True,
        "is_canadian": True,
        "company_done": True,
        **company,
    }.items():
        setattr(registration, field, value)
    registration.declaration_version = services.DECLARATION_VERSION
    registration.answers_digest = services.answers_digest(registration)
    registration.signed_first_name = user.first_name
    registration.signed_last_name = user.last_name
    registration.signed_at = registration.signed_at or now - timedelta(days=19)
    registration.submitted_at = registration.submitted_at or now - timedelta(days=19)
    registration.save()
    if registration.status in (RegistrationStatus.DRAFT, RegistrationStatus.REFUSED):
        with transaction.atomic():
            locked = Registration.objects.select_for_update().get(pk=registration.pk)
            step(locked, REGISTRATION_TRANSITIONS, "transmit", actor=as_actor(user))
        registration.refresh_from_db()
    return registration


def _company(user: User, registration: Registration) -> Company:
    company = Company.objects.filter(business_number=COMPANY["business_number"]).first()
    if company is None:
        value = next_value(
            "company_ministry_number",
            first=services.MINISTRY_NUMBER_FIRST,
            last=services.MINISTRY_NUMBER_LAST,
        )
        number = f"E{value:08d}"
        organisation = Organisation.objects.create(
            name=COMPANY["operating_name"],
            code=f"entreprise-{number.lower()}",
            kind=OrganisationKind.EMPLOYER,
        )
        company = Company.objects.create(
            organisation=organisation,
            ministry_number=number,
            is_canadian=True,
            primary_user=user,
            registered_at=timezone.now() - timedelta(days=18),
            **COMPANY,
        )
    user.organisation = company.organisation
    user.save(update_fields=["organisation"])
    registration.company = company
    registration.decided_at = registration.decided_at or company.registered_at
    registration.save()
    if registration.status == RegistrationStatus.PENDING:
        with transaction.atomic():
            locked = Registration.objects.select_for_update().get(pk=registration.pk)
            agent = as_actor(registration.decided_by)
            step(locked, REGISTRATION_TRANSITIONS, "approve", actor=agent)
    return company


def load_employers() -> int:
    # The ministry's demo agent handles employer files (the back office's « Employeurs »).
    User.objects.filter(username="demoAgent001").update(handles_employer_files=True)
    agent = User.objects.get(username="demoAgent001")
    primary = User.objects.get(username="demoEmploy1")
    _credentials(primary)
    registration = _registration(primary, COMPANY, "514 555-0142")
    if registration.decided_by_id is None:
        registration.decided_by = agent
    _company(primary, registration)
    _offers(primary, agent)
    waiting = User.objects.get(username="demoEmploy2")
    _credentials(waiting)
    if not hasattr(waiting, "employer_registration") or (
        waiting.employer_registration.status != RegistrationStatus.APPROVED
    ):
        _registration(waiting, PENDING, "418 555-0177")
    return 2


def _in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def example_offer() -> dict[str, dict[str, object]]:
    """The four forms of a job offer, filled as seed 004's example (an OFQJ internship); the
    tests use it too."""
    return {
        "entreprise": {
            "company_phone": "514 555-0142",
            "unit": "",
            "street_number": "1200",
            "street": "rue Sainte-Catherine Ouest",
            "street_2": "",
            "country": "CA",
            "province": "QC",
            "city": "Montréal",
            "postal_code": "H3B 1K9",
            "mailing_different": "non",
            "mailing_address": "",
            "website": "https://www.boulangerie-laurentienne.example",
            "created_on": "2004-03-15",
            "main_activity": "Boulangerie artisanale et vente au détail",
            "employees": "42",
            "gross_revenue": "3500000",
            "contact_first_name": "Julie",
            "contact_middle_name": "",
            "contact_last_name": "Tremblay",
            "contact_job_title": "Directrice des ressources humaines",
            "contact_phone": "514 555-0199",
            "contact_extension": "",
            "contact_fax": "",
            "contact_email": "julie.tremblay@exemple.ca",
        },
        "travailleur": {
            "last_name": "Durand",
            "first_name": "Camille",
            "sex": "F",
            "birth_date": "1999-04-02",
            "birth_country": "FR",
            "residence_country": "FR",
            "citizenship": "FR",
            "passport_number": "18AB12345",
        },
        "emploi": {
            "exemption": "C21",
            "exemption_reason": "Stage coop international prévu à la convention de stage.",
            "job_title": "Stagiaire en boulangerie",
            "noc_code": "63202",
            "work_unit": "",
            "work_street_number": "1200",
            "work_street": "rue Sainte-Catherine Ouest",
            "work_street_2": "",
            "work_province": "QC",
            "work_city": "Montréal",
            "work_postal_code": "H3B 1K9",
            "several_workplaces": "non",
            "other_workplaces": "",
            "start_date": _in_days(60),
            "duration": "6",
            "duration_unit": "mois",
            "duties": "Préparer les pâtes, cuire les pains et viennoiseries.",
            "education": "CAP boulanger",
            "other_training": "",
            "experience": "Un stage en boulangerie",
            "certification_required": "non",
            "certification_authority": "",
            "fee": "payer",
            "fee_exemption_reason": "",
        },
        "salaire": {
            "wage_type": "horaire",
            "wage_amount": "18,50",
            "hours_per_day": "8",
            "hours_per_week": "40",
            "hours_per_month": "173",
            "overtime_rate": "27,75",
            "overtime_after": "40",
            "other_pay": "",
            "seasonal": "non",
            "benefits": ["aucun"],
            "vacation_type": "pourcentage",
            "other_benefits": "",
        },
    }


def _offers(primary: User, agent: User) -> None:
    """One offer submitted (its fee paid by mail, the envelope recorded by the agent) and one
    draft with its first form done and the second begun."""
    from guichet.dossiers.models import Dossier
    from guichet.employers.kinds.offer import kind as offers
    from guichet.payments import services as payments
    from guichet.payments.purposes import get_purpose

    if Dossier.objects.filter(kind=offers.CODE, owner_organisation=primary.organisation).exists():
        return
    submitted = offers.create(actor=primary)
    for key, raw in example_offer().items():
        submitted = offers.save_form(dossier=submitted, key=key, raw=raw, actor=primary)
    asked = primary.security_answers.order_by("position").first()
    assert asked is not None
    submitted = offers.sign(
        dossier=submitted,
        actor=primary,
        first_name=primary.first_name,
        last_name=primary.last_name,
        answer={str(q): a for q, a in ANSWERS}[asked.question],
        question=asked.question,
    )
    purpose = get_purpose(offers.CODE)
    assert purpose is not None
    slip = payments.start_mail_payment(purpose=purpose, object_id=str(submitted.pk), actor=primary)
    payments.record_envelope(
        payment=slip,
        method="money_order",
        amount_cents=slip.amount_cents,
        received_on=timezone.localdate(),
        actor=agent,
    )
    # Validated by the ministry: its worker (Camille Durand) may submit a CSQ application
    # outside the quota (seed 002 « Rappel »).
    offers.validate(dossier=submitted, actor=agent)
    draft = offers.create(actor=primary)
    data: dict[str, Any] = example_offer()
    offers.save_form(dossier=draft, key="entreprise", raw=data["entreprise"], actor=primary)
    offers.save_form(
        dossier=draft,
        key="travailleur",
        raw={
            **data["travailleur"],
            "first_name": "Hugo",
            "last_name": "Lefebvre",
            "passport_number": "",
        },
        actor=primary,
    )
