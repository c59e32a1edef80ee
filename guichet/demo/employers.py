"""The demo's employers' portal (seed 004): `demoEmploy1`, primary user of a registered company,
with a CléGC and the four security questions asked at each sign-in; `demoEmploy2`, whose
registration waits for the ministry's verification (« Employeurs » in the back office)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.accounts.models import SecurityAnswer, SecurityQuestion, User
from guichet.employers import services
from guichet.employers.models import (
    Company,
    Credentials,
    Portal,
    Registration,
    RegistrationStatus,
)
from guichet.numbering.services import next_value
from guichet.organisations.models import Organisation, OrganisationKind

# Published in the README with the accounts.
RECOVERY_ANSWER = "Paris"
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
            "recovery_question": SecurityQuestion.FIRST_FLIGHT,
            "recovery_answer_hash": make_password(RECOVERY_ANSWER),
            "memorable_person_hash": make_password(MEMORABLE_PERSON.casefold()),
            "memorable_person_hint": "Une parente",
            "memorable_date_hash": make_password(MEMORABLE_DATE.isoformat()),
            "memorable_date_hint": "Un anniversaire",
        },
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
    registration.status = RegistrationStatus.PENDING
    registration.save()
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
    registration.status = RegistrationStatus.APPROVED
    registration.company = company
    registration.decided_at = registration.decided_at or company.registered_at
    registration.save()
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
    waiting = User.objects.get(username="demoEmploy2")
    _credentials(waiting)
    if not hasattr(waiting, "employer_registration") or (
        waiting.employer_registration.status != RegistrationStatus.APPROVED
    ):
        _registration(waiting, PENDING, "418 555-0177")
    return 2
