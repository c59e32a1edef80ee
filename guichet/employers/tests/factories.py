"""Employers for tests: a CléGC holder, a registered company with its primary user."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.accounts.models import Role, SecurityAnswer, User
from guichet.accounts.tests.factories import UserFactory
from guichet.employers import services
from guichet.employers.models import (
    Company,
    Credentials,
    RecoveryAnswer,
    Registration,
    RegistrationStatus,
)
from guichet.organisations.models import Organisation, OrganisationKind

# The four portal questions and their answers; the CléGC's three recovery answers are
# RECOVERY_ANSWERS (the one asked of a holder: `recovery_answer(user)`).
QUESTIONS = ["first_school", "hobby", "first_pet", "favourite_dish"]
ANSWERS = {q: f"Réponse {q}" for q in QUESTIONS}
RECOVERY_ANSWERS = {
    "first_flight": "Paris",
    "childhood_street": "Rue Principale",
    "favourite_book": "Maria Chapdelaine",
}
MEMORABLE_PERSON = "Tante Jeanne"
MEMORABLE_DATE = date(1990, 5, 17)
EMPLOYER_PASSWORD = "Portail2026Qc"
# « Créer vos questions, réponses et indices » as typed by the CléGC holder above.
RECOVERY_FORM = {
    **{f"question_{n}": q for n, q in enumerate(RECOVERY_ANSWERS, start=1)},
    **{f"answer_{n}": a for n, a in enumerate(RECOVERY_ANSWERS.values(), start=1)},
    "memorable_person": MEMORABLE_PERSON,
    "memorable_person_hint": "Ma tante",
    "memorable_date": MEMORABLE_DATE.isoformat(),
    "memorable_date_hint": "Un anniversaire",
}

_numbers = count(1)


def gckey_holder(username: str | None = None, **fields: object) -> User:
    """A CléGC account (role employer) with its recovery answers and portal questions, not yet
    joined to a company."""
    fields.setdefault("organisation", None)
    user = UserFactory.create(
        role=Role.EMPLOYER,
        password=EMPLOYER_PASSWORD,
        **({"username": username} if username else {}),
        **fields,
    )
    give_gckey(user)
    return user


def recovery_answer(user: User | str) -> str:
    """The answer to the recovery question the holder is asked (one of the three)."""
    name = user if isinstance(user, str) else user.username
    holder = User.objects.get(username=name)
    return RECOVERY_ANSWERS[services.signature_question(holder)]


def give_gckey(user: User) -> User:
    """The CléGC of `user`: recovery answer, memorable person and date, four portal questions."""
    credentials = Credentials.objects.create(
        user=user,
        terms_accepted_at=timezone.now(),
        memorable_person_hash=make_password(MEMORABLE_PERSON.casefold()),
        memorable_person_hint="Ma tante",
        memorable_date_hash=make_password(MEMORABLE_DATE.isoformat()),
        memorable_date_hint="Un anniversaire",
    )
    RecoveryAnswer.objects.bulk_create(
        RecoveryAnswer(
            credentials=credentials, position=n, question=q, answer_hash=make_password(a)
        )
        for n, (q, a) in enumerate(RECOVERY_ANSWERS.items(), start=1)
    )
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, position=i, question=q, answer_hash=make_password(ANSWERS[q]))
        for i, q in enumerate(QUESTIONS, start=1)
    )
    return user


# What each screen of the registration needs answered before it (seed 004 §III).
_BEFORE: dict[str, dict[str, object]] = {
    "terms": {},
    "welcome": {"portal_terms_accepted_at": "now"},
    "pin": {"welcomed": True},
    "portal": {"has_pin": False},
    "reregistration": {"portal": "employers"},
    "questions": {"reregistering": False},
    "start": {"questions_set": True},
    "contact": {"started": True},
    "company": {
        "contact_done": True,
        "last_name": "Tremblay",
        "first_name": "Julie",
        "job_title": "Directrice des ressources humaines",
        "phone": "514 555-0199",
        "email": "julie.tremblay@exemple.ca",
    },
    "declaration": {
        "company_done": True,
        "legal_name": "Boulangerie Laurentienne inc.",
        "operating_name": "Boulangerie Laurentienne",
        "is_canadian": True,
        "business_number": "123456789",
    },
}


def registration_at(user: User, step: str) -> Registration:
    """`user` (an employer without a company, given a CléGC) with the registration answered up
    to the screen `step`; "transmit" has the declaration signed, "pending" has it transmitted."""
    User.objects.filter(pk=user.pk).update(organisation=None)
    user.organisation = None
    if not Credentials.objects.filter(user=user).exists():
        give_gckey(user)
    fields: dict[str, object] = {}
    names = list(_BEFORE)
    last = names.index(step) if step in _BEFORE else len(names) - 1
    for name in names[: last + 1]:
        fields.update(_BEFORE[name])
    fields = {k: timezone.now() if v == "now" else v for k, v in fields.items()}
    registration, _ = Registration.objects.update_or_create(user=user, defaults=fields)
    if step in {"transmit", "pending"}:
        from guichet.employers import services

        registration.declaration_version = services.DECLARATION_VERSION
        registration.answers_digest = services.answers_digest(registration)
        registration.signed_first_name = registration.first_name
        registration.signed_last_name = registration.last_name
        registration.signed_at = timezone.now()
        if step == "pending":
            registration.status = RegistrationStatus.PENDING
            registration.submitted_at = timezone.now()
        registration.save()
    return registration


def company(primary: User | None = None, *, name: str = "") -> Company:
    """A registered company whose primary user is `primary` (made if not given)."""
    n = next(_numbers)
    user = primary or gckey_holder()
    organisation = Organisation.objects.create(
        name=name or f"Entreprise {n}",
        code=f"entreprise-test-{n}-{user.pk}",
        kind=OrganisationKind.EMPLOYER,
    )
    made = Company.objects.create(
        organisation=organisation,
        business_number=f"{800000000 + n + user.pk * 1000:09d}",
        ministry_number=f"E{90000000 + n + user.pk * 1000:08d}",
        legal_name=f"{organisation.name} inc.",
        operating_name=organisation.name,
        is_canadian=True,
        primary_user=user,
        registered_at=timezone.now(),
    )
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    Registration.objects.update_or_create(
        user=user,
        defaults={
            "status": RegistrationStatus.APPROVED,
            "company": made,
            "submitted_at": timezone.now(),
            "signed_at": timezone.now(),
        },
    )
    return made


def member(of: Company) -> User:
    """Another user of the company (joined with a PIN)."""
    user = gckey_holder()
    user.organisation = of.organisation
    user.save(update_fields=["organisation"])
    return user


def offer_data() -> dict[str, dict[str, object]]:
    """The four forms of a job offer, filled as the seed's example (an OFQJ internship)."""
    from guichet.demo.employers import example_offer

    return example_offer()


def offer(user: User, *, complete: bool = True, **changes: dict[str, object]) -> Any:
    """A draft job offer of `user`'s company, its four forms filled (or not)."""
    from guichet.employers.kinds.offer import kind as offers

    made = offers.create(actor=user)
    if complete:
        data = offer_data()
        for key, values in changes.items():
            data[key] = {**data[key], **values}
        for key, raw in data.items():
            made = offers.save_form(dossier=made, key=key, raw=raw, actor=user)
    return made


def fee_schedule() -> None:
    from guichet.payments.models import Fee, FeeRate

    fee, _ = Fee.objects.get_or_create(
        code="permis-travail-sans-eimt",
        defaults={
            "label_fr": "Frais permis travail sans EIMT",
            "label_en": "Work permit fee without LMIA",
        },
    )
    FeeRate.objects.get_or_create(
        fee=fee, valid_from=date(2018, 1, 1), defaults={"amount_cents": 23000}
    )


def signed(dossier: Any, user: User) -> Any:
    """The employer's declaration signed for the forms as they are."""
    from guichet.employers.kinds.offer import kind as offers

    dossier.data = {
        **dossier.data,
        "signature": {
            "digest": offers.sections_digest(dossier),
            "user_id": user.pk,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "signed_at": timezone.now().isoformat(),
            "version": offers.DECLARATION_VERSION,
        },
    }
    dossier.save()
    return dossier


def submitted_offer(user: User) -> Any:
    """An offer transmitted by an employer exempt from the fee."""
    from guichet.employers.kinds.offer import kind as offers

    made = offer(user, emploi={"fee": "dispense", "fee_exemption_reason": "Organisme exempté"})
    return offers.transmit_exempt(dossier=signed(made, user), actor=user)
