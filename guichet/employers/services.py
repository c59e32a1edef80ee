"""Employers' portal workflows (seed 004 §II-III): the CléGC, the portal registration, the
ministry's verification and the PINs that join more users to a company."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from guichet.accounts import services as accounts
from guichet.accounts.models import Role, User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.email import send_templated_email, site_url
from guichet.core.refusals import Refused
from guichet.core.transitions import step
from guichet.numbering.services import next_value
from guichet.organisations.models import Organisation, OrganisationKind

from .models import (
    REGISTRATION_TRANSITIONS,
    Company,
    CompanyPin,
    Credentials,
    RecoveryAnswer,
    Registration,
    RegistrationStatus,
)

# The version of the solemn declaration's text a registration was signed under.
DECLARATION_VERSION = "004-III-2026"
MINISTRY_NUMBER_FIRST, MINISTRY_NUMBER_LAST = 10_000_001, 99_999_999
PIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
PIN_DAYS = 30


# --- CléGC (seed 004 §II) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Recovery:
    """« Créer vos questions, réponses et indices »: three questions with their answers, the
    memorable person and the memorable date with their hints."""

    answers: list[tuple[str, str]]
    memorable_person: str
    memorable_person_hint: str
    memorable_date: date
    memorable_date_hint: str


@transaction.atomic
def create_gckey(
    *,
    actor: Actor | None,
    username: str,
    password_hash: str,
    recovery: Recovery,
    terms_accepted_at: datetime,
    language: str,
) -> User:
    """« S'enregistrer pour une cléGC »: the password arrives hashed (checked against the
    `gckey` policy on its own screen and never kept in clear)."""
    if accounts.user_code_exists(username):
        raise accounts.UserCodeTaken
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=username,
                password=password_hash,
                role=Role.EMPLOYER,
                preferred_language=language,
            )
    except IntegrityError as error:  # lost a race on the user name
        raise accounts.UserCodeTaken from error
    credentials = Credentials.objects.create(
        user=user,
        terms_accepted_at=terms_accepted_at,
        memorable_person_hash=make_password(_folded(recovery.memorable_person)),
        memorable_person_hint=recovery.memorable_person_hint,
        memorable_date_hash=make_password(recovery.memorable_date.isoformat()),
        memorable_date_hint=recovery.memorable_date_hint,
    )
    RecoveryAnswer.objects.bulk_create(
        RecoveryAnswer(
            credentials=credentials, position=n, question=q, answer_hash=make_password(a)
        )
        for n, (q, a) in enumerate(recovery.answers, start=1)
    )
    audit(as_actor(actor).acting_as(user), "employer.gckey_created", user)
    return user


def _folded(text: str) -> str:
    """A memorable person is compared without regard to case or extra spaces."""
    return " ".join(text.split()).casefold()


def _asked(user: User | None) -> RecoveryAnswer | None:
    """Which of the holder's recovery questions is asked: one of the three, picked from the
    user name the way a client's security question is, so it stays the same from one try to
    the next (a person who knows one answer cannot ask again until that question comes up)."""
    if user is None:
        return None
    mine = list(RecoveryAnswer.objects.filter(credentials__user=user).order_by("position"))
    if not mine:
        return None
    return mine[accounts.recovery_pick(user.username) % len(mine)]


def recovery_answer_checks(user: User | None, *, answer: str) -> bool:
    """The answer to the question asked is right (exactly, as typed when chosen)."""
    asked = _asked(user)
    if asked is None:
        # Spend the same time as a real check, so the answer tells nothing.
        check_password(answer, make_password("decoy"))
        return False
    return check_password(answer, asked.answer_hash)


def memorable_checks(user: User | None, *, memorable_person: str, memorable_date: date) -> bool:
    """The memorable person (without regard to case or extra spaces) and date are right."""
    credentials = Credentials.objects.filter(user=user).first() if user is not None else None
    if credentials is None:
        check_password(memorable_person, make_password("decoy"))
        return False
    results = [
        check_password(_folded(memorable_person), credentials.memorable_person_hash),
        check_password(memorable_date.isoformat(), credentials.memorable_date_hash),
    ]
    return all(results)


def gckey_account(username: str) -> User | None:
    """The active CléGC account a recovery is about."""
    return (
        User.objects.filter(username__iexact=username.strip(), role=Role.EMPLOYER, is_active=True)
        .filter(gckey__isnull=False)
        .first()
    )


def gckey_question(user: User | None, username: str) -> str:
    """The recovery question to ask: the account's own, or a stable decoy for a user name
    that matched nothing (the screen reveals nothing)."""
    asked = _asked(user)
    if asked is not None:
        return asked.question
    return accounts.recovery_question(user=None, user_code=username)


def recovery_hints(user: User | None) -> dict[str, str]:
    """The hints the holder wrote for the memorable person and date (empty for no account).
    Shown only after the recovery answer was right."""
    credentials = Credentials.objects.filter(user=user).first() if user is not None else None
    if credentials is None:
        return {"person": "", "date": ""}
    return {"person": credentials.memorable_person_hint, "date": credentials.memorable_date_hint}


def reset_password(*, actor: Actor | User, password: str) -> None:
    """« Vous avez oublié votre mot de passe? »: the recovery answers were right; the holder
    chooses a new password (under the same policy)."""
    actor = as_actor(actor)
    user = actor.person
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit(actor, "employer.gckey_password_reset", user)


# --- Portal registration (seed 004 §III) -------------------------------------------------------


def registration_of(user: User) -> Registration:
    registration, _created = Registration.objects.get_or_create(user=user)
    return registration


def _editable(user: User) -> Registration:
    registration = Registration.objects.select_for_update().get(user=user)
    if registration.status not in (RegistrationStatus.DRAFT, RegistrationStatus.REFUSED):
        raise Refused(
            "registration_submitted",
            _("Votre demande d'inscription a déjà été transmise; elle ne peut plus être modifiée."),
        )
    return registration


@transaction.atomic
def accept_portal_terms(*, actor: Actor | User) -> Registration:
    actor = as_actor(actor)
    registration_of(actor.person)
    registration = _editable(actor.person)
    registration.portal_terms_accepted_at = timezone.now()
    registration.save(update_fields=["portal_terms_accepted_at"])
    audit(actor, "employer.portal_terms_accepted", registration)
    return registration


@transaction.atomic
def answer(*, actor: Actor | User, **values: object) -> Registration:
    """Record the answers of one step (a question, the contact details, the company)."""
    actor = as_actor(actor)
    registration = _editable(actor.person)
    for name, value in values.items():
        setattr(registration, name, value)
    registration.save(update_fields=list(values))
    return registration


def _digest(pin: str) -> str:
    normalised = "".join(pin.split()).replace("-", "").upper()
    return hmac.new(
        settings.SECRET_KEY.encode(), f"employer-pin:{normalised}".encode(), hashlib.sha256
    ).hexdigest()


def usable_pin(pin: str) -> CompanyPin | None:
    return (
        CompanyPin.objects.select_related("company")
        .filter(digest=_digest(pin), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def use_pin(*, actor: Actor | User, pin: str) -> Registration:
    """« Oui »: the PIN a primary user issued; the registration will join that company."""
    actor = as_actor(actor)
    found = usable_pin(pin)
    if found is None:
        raise Refused(
            "pin_invalid",
            _("Ce NIP n'est pas valide, a déjà été utilisé ou est expiré."),
            field="pin",
        )
    registration = _editable(actor.person)
    registration.has_pin = True
    registration.pin = found
    registration.save(update_fields=["has_pin", "pin"])
    audit(actor, "employer.pin_entered", registration, details={"company": found.company_id})
    return registration


@transaction.atomic
def set_questions(*, actor: Actor | User, answers: list[tuple[str, str]]) -> Registration:
    """« Créer vos questions de sécurité »: four questions and answers, asked at sign-in."""
    actor = as_actor(actor)
    registration = _editable(actor.person)
    accounts.set_security_answers(actor.person, answers)
    registration.questions_set = True
    registration.save(update_fields=["questions_set"])
    audit(actor, "employer.security_questions_set", registration)
    return registration


def answers_digest(registration: Registration) -> str:
    """A hash of what the declaration covers: the contact details and the company."""
    data = {
        name: str(getattr(registration, name))
        for name in (
            "last_name",
            "first_name",
            "job_title",
            "phone",
            "fax",
            "email",
            "legal_name",
            "operating_name",
            "is_canadian",
            "business_number",
            "pin_id",
        )
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def signature_question(user: User) -> str:
    """The « Question de sécurité CléGC » the signature answers: the recovery question the
    holder would be asked."""
    asked = _asked(user)
    return asked.question if asked is not None else ""


@transaction.atomic
def sign(
    *, actor: Actor | User, first_name: str, last_name: str, security_answer: str
) -> Registration:
    """« Signer »: the declaration accepted, the names typed and the CléGC security question
    answered. What was signed is kept: the text's version, a hash of the answers, the time."""
    actor = as_actor(actor)
    registration = _editable(actor.person)
    if not registration.contact_done or not (registration.company_done or registration.pin_id):
        raise Refused("registration_incomplete", _("Remplissez d'abord toutes les sections."))
    asked = _asked(actor.person)
    if asked is None or not check_password(security_answer, asked.answer_hash):
        raise Refused(
            "signature_answer",
            _("La réponse à votre question de sécurité n'est pas exacte."),
            field="security_answer",
        )
    registration.signed_first_name = first_name
    registration.signed_last_name = last_name
    registration.declaration_version = DECLARATION_VERSION
    registration.answers_digest = answers_digest(registration)
    registration.signed_at = timezone.now()
    registration.save()
    audit(actor, "employer.registration_signed", registration)
    return registration


@transaction.atomic
def transmit(*, actor: Actor | User) -> Registration:
    """« Transmettre »: for the ministry's verification; with a PIN, the user joins the
    company at once (its primary user vouched for them)."""
    actor = as_actor(actor)
    user = actor.person
    registration = _editable(user)
    if registration.signed_at is None or registration.answers_digest != answers_digest(
        registration
    ):
        raise Refused("registration_unsigned", _("Signez d'abord votre déclaration."))
    now = timezone.now()
    registration.submitted_at = now
    registration.refusal_reason = ""
    if registration.pin_id:
        pin = CompanyPin.objects.select_for_update().get(pk=registration.pin_id)
        if pin.used_at is not None or pin.expires_at <= now:
            raise Refused(
                "pin_invalid", _("Ce NIP n'est pas valide, a déjà été utilisé ou est expiré.")
            )
        pin.used_at, pin.used_by = now, user
        pin.save(update_fields=["used_at", "used_by"])
        _activate(registration, pin.company, now, "join", actor)
        audit(actor, "employer.joined_company", registration, details={"company": pin.company_id})
    else:
        step(registration, REGISTRATION_TRANSITIONS, "transmit", actor=actor, save=False)
        registration.save()
        audit(actor, "employer.registration_submitted", registration)
    return registration


def _activate(
    registration: Registration, company: Company, now: datetime, action: str, actor: Actor
) -> None:
    user = registration.user
    user.organisation = company.organisation
    user.first_name, user.last_name = registration.first_name, registration.last_name
    user.email = registration.email
    user.save(update_fields=["organisation", "first_name", "last_name", "email"])
    step(
        registration,
        REGISTRATION_TRANSITIONS,
        action,
        actor=actor,
        payload={"company": company.pk},
        save=False,
    )
    registration.company = company
    registration.decided_at = now
    registration.save()
    registration_id = registration.pk
    transaction.on_commit(lambda: deliver_decision.enqueue(registration_id=registration_id))


# --- The ministry's verification ----------------------------------------------------------------


@transaction.atomic
def approve(*, actor: Actor | User, registration_id: int) -> Company:
    """The company is registered: its ministry number, its organisation, the user as its
    primary user; the user is told by email that the account is active."""
    actor = as_actor(actor)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status != RegistrationStatus.PENDING:
        raise Refused("registration_not_pending", _("Cette inscription n'est plus en attente."))
    if Company.objects.filter(business_number=registration.business_number).exists():
        raise Refused(
            "business_number_taken",
            _(
                "Une entreprise portant ce numéro d'entreprise est déjà inscrite : la personne "
                "doit obtenir un NIP de l'utilisateur principal de l'entreprise."
            ),
        )
    now = timezone.now()
    value = next_value(
        "company_ministry_number", first=MINISTRY_NUMBER_FIRST, last=MINISTRY_NUMBER_LAST
    )
    number = f"E{value:08d}"
    organisation = Organisation.objects.create(
        name=registration.operating_name,
        code=f"entreprise-{number.lower()}",
        kind=OrganisationKind.EMPLOYER,
    )
    company = Company.objects.create(
        organisation=organisation,
        business_number=registration.business_number,
        ministry_number=number,
        legal_name=registration.legal_name,
        operating_name=registration.operating_name,
        is_canadian=bool(registration.is_canadian),
        primary_user=registration.user,
        registered_at=now,
    )
    registration.decided_by = actor.person
    _activate(registration, company, now, "approve", actor)
    audit(actor, "employer.registration_approved", registration, details={"company": number})
    return company


@transaction.atomic
def refuse(*, actor: Actor | User, registration_id: int, reason: str) -> Registration:
    actor = as_actor(actor)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status != RegistrationStatus.PENDING:
        raise Refused("registration_not_pending", _("Cette inscription n'est plus en attente."))
    if not reason.strip():
        raise Refused("reason_required", _("Indiquez le motif du refus."), field="reason")
    step(registration, REGISTRATION_TRANSITIONS, "refuse", actor=actor, save=False)
    registration.refusal_reason = reason.strip()
    registration.decided_at = timezone.now()
    registration.decided_by = actor.person
    # Corrected, it is signed and transmitted again.
    registration.signed_at = None
    registration.started = False
    registration.save()
    audit(actor, "employer.registration_refused", registration)
    registration_id = registration.pk
    transaction.on_commit(lambda: deliver_decision.enqueue(registration_id=registration_id))
    return registration


@task()
def deliver_decision(*, registration_id: int) -> None:
    """« Votre inscription est terminée. Votre compte est maintenant actif. », or the refusal
    (its reason is read on the portal, not sent by email)."""
    registration = Registration.objects.select_related("user").filter(pk=registration_id).first()
    if registration is None or not registration.email:
        return
    language = registration.user.preferred_language
    send_templated_email(
        to=registration.email,
        template=(
            "employer_registration_approved"
            if registration.status == RegistrationStatus.APPROVED
            else "employer_registration_refused"
        ),
        context={"url": site_url("employers:login", language)},
        language=language,
    )


# --- The company's users and PINs ----------------------------------------------------------------


def issue_pin(*, actor: Actor | User, email: str) -> str:
    """A PIN for another person to join the company; returned once, stored as a digest."""
    actor = as_actor(actor)
    company = Company.objects.filter(primary_user=actor.person).first()
    if company is None:
        raise Refused("not_primary", _("Seul l'utilisateur principal peut émettre un NIP."))
    pin = "-".join("".join(secrets.choice(PIN_ALPHABET) for _ in range(4)) for _ in range(3))
    created = CompanyPin.objects.create(
        company=company,
        email=email,
        digest=_digest(pin),
        issued_by=actor.person,
        expires_at=timezone.now() + timedelta(days=PIN_DAYS),
    )
    audit(actor, "employer.pin_issued", created)
    return pin
