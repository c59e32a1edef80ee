"""Registration to the « Service en ligne de prise de rendez-vous » (seed 000 §4.4 to 4.11)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.accounts.models import PersonalProfile, Role, User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.email import send_templated_email, site_url
from guichet.core.forms import YES
from guichet.core.identity import same_name
from guichet.core.refusals import Refused
from guichet.core.transitions import move, step
from guichet.numbering.services import next_value

from .authorization import request_authorization_code
from .models import (
    ACCESS_TRANSITIONS,
    AccessRequestStatus,
    Client,
    ImmigrationStatus,
    Locality,
    PartnerAccess,
)

CLIENT_NUMBER_FIRST = 10001
CLIENT_NUMBER_LAST = 99999


# The registration's refusals (`Refused`, with a code for programs); the pages that explain
# them are the wizard's own (« Nous ne pouvons vous inscrire… »).


class NotEligible(Refused):
    """« Nous ne pouvons vous inscrire… votre statut ne vous permet pas d'utiliser ce service. »"""

    def __init__(self) -> None:
        super().__init__(
            "not_eligible",
            _("Votre statut ne vous permet pas d'utiliser ce service."),
            field="status",
        )


class AlreadyRegistered(Refused):
    """« …vous vous êtes déjà enregistré … mais avec un autre profil de consultation. »"""

    def __init__(self) -> None:
        super().__init__(
            "already_registered",
            _("Vous vous êtes déjà enregistré, mais avec un autre profil de consultation."),
        )


class IdentityMismatch(Refused):
    """An identifier was given that belongs to a ministry record with another identity."""

    def __init__(self, client: Client) -> None:
        super().__init__(
            "identity_mismatch",
            _("Les renseignements fournis ne correspondent pas à notre dossier."),
        )
        self.client = client


class RecordNotConfirmed(Refused):
    """The ministry record claimed has an address on file and the code sent there was not
    entered yet."""

    def __init__(self, client: Client) -> None:
        super().__init__("record_not_confirmed")
        self.client = client


class AlreadyOnFile(Refused):
    """Staff tried to register a person who already has a client file. Nothing of that file is
    changed and nothing is sent to the address staff typed: staff who may see the file find it
    with « Rechercher un client »; a partner may only ask the person for access."""

    def __init__(self, client: Client) -> None:
        super().__init__("already_on_file", field="last_name")
        self.client = client


# The client file fields the registration fills (wizard steps 2 to 4; back office at once).
PROFILE_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "street_number",
    "street",
    "apartment",
    "po_box",
    "postal_code",
    "phone_home",
    "phone_work",
    "phone_work_ext",
    "phone_other",
    "french_sufficient",
    "informed_by",
    "professional_domain",
    "intended_profession",
    "schooling",
)


@dataclass(frozen=True)
class Identity:
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    reference_number: str = ""
    client_number: str = ""
    cic_client_id: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Identity:
        """From the cleaned data of the identity fields (wizard or back office)."""
        return cls(
            last_name=data["last_name"],
            first_name=data["first_name"],
            birth_date=data["birth_date"],
            sex=data["sex"],
            reference_number=data.get("reference_number", ""),
            client_number=data.get("client_number", ""),
            cic_client_id=data.get("cic_client_id", ""),
        )

    def matches(self, client: Client) -> bool:
        return (
            same_name(client.last_name, self.last_name)
            and same_name(client.first_name, self.first_name)
            and client.birth_date == self.birth_date
            and client.sex == self.sex
        )


def find_by_identifiers(identity: Identity) -> Client | None:
    """The ministry record one of the person's identifiers points to, if any."""
    query = Q()
    if identity.reference_number:
        query |= Q(reference_number__iexact=identity.reference_number)
    if identity.client_number:
        query |= Q(client_number=identity.client_number)
    if identity.cic_client_id:
        query |= Q(cic_client_id=identity.cic_client_id)
    if not query:
        return None
    return Client.objects.filter(query).select_related("user").first()


def same_person(identity: Identity) -> QuerySet[Client]:
    """Client files with this person's name, first name, date of birth and sex."""
    return Client.objects.filter(
        last_name__iexact=identity.last_name,
        first_name__iexact=identity.first_name,
        birth_date=identity.birth_date,
        sex=identity.sex,
    )


def on_file(identity: Identity) -> Client | None:
    """The client file this identity already has: by one of its identifiers, else by name,
    date of birth and sex."""
    return find_by_identifiers(identity) or same_person(identity).first()


def check_identity(*, user: User, identity: Identity) -> Client | None:
    """Step 2 rules. Returns the existing ministry record to link, or None for a new client."""
    existing = find_by_identifiers(identity)
    if existing is None:
        # Same identity already registered under another consultation profile.
        if same_person(identity).filter(user__isnull=False).exclude(user=user).exists():
            raise AlreadyRegistered
        return None
    if not identity.matches(existing):
        raise IdentityMismatch(existing)
    if existing.user_id is not None and existing.user_id != user.pk:
        raise AlreadyRegistered
    return existing


@transaction.atomic
def register_client(
    *,
    actor: Actor | User,
    data: dict[str, Any],
    confirmed_record_id: int | None = None,
) -> Client:
    """Save the six steps at once (nothing is saved before step 6 is confirmed) and give the
    person a client number. `data` holds the cleaned values of steps 1 to 5."""
    actor = as_actor(actor)
    user = actor.person
    if hasattr(user, "client"):
        raise AlreadyRegistered
    status = ImmigrationStatus.objects.get(pk=data["status"])
    if not status.eligible:
        raise NotEligible
    identity = Identity.from_data(data)
    existing = check_identity(user=user, identity=identity)
    if existing is not None:
        # Lock the ministry record so two profiles cannot claim it at once.
        client = Client.objects.select_for_update().get(pk=existing.pk)
        if client.user_id is not None:
            raise AlreadyRegistered
        if client.email and client.pk != confirmed_record_id:
            # Identifiers and identity can be found out; the mailbox on file cannot.
            raise RecordNotConfirmed(client)
    else:
        client = _new_client()
    client.user = user
    client.declaration_accepted_at = timezone.now()
    client.consents_to_partner_access = True
    language = user.preferred_language if user.preferred_language in ("fr", "en") else "fr"
    _fill(client, data, status=status, language=language)
    _save(client, refused=AlreadyRegistered())
    PersonalProfile.forget_identity_copy(user)
    _registered(client, actor, "client.registered" if existing is None else "client.linked")
    return client


def _new_client(**fields: Any) -> Client:
    number = next_value("client_number", first=CLIENT_NUMBER_FIRST, last=CLIENT_NUMBER_LAST)
    return Client(client_number=f"{number:05d}", **fields)


def _fill(
    client: Client, data: dict[str, Any], *, status: ImmigrationStatus, language: str
) -> None:
    """The registration's answers (the wizard's six steps, or the staff form in the same order)
    onto the client record; what a record on file already holds is kept when not given."""
    client.status = status
    client.status_granted_on = data["status_granted_on"]
    for field in PROFILE_FIELDS:
        setattr(client, field, data.get(field, getattr(client, field)))
    locality = data["locality"]
    client.locality = (
        locality if isinstance(locality, Locality) else Locality.objects.get(pk=locality)
    )
    client.reference_number = data.get("reference_number") or client.reference_number
    client.cic_client_id = data.get("cic_client_id") or client.cic_client_id
    client.email = data["email"]
    client.language = language


def _save(client: Client, *, refused: Exception) -> None:
    """Save; the same identifiers registered at the same moment by someone else: `refused`."""
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as error:
        raise refused from error


def _registered(client: Client, actor: Actor, action: str) -> None:
    """Audited, then the « Confirmation d'inscription » email once committed."""
    audit(
        actor,
        action,
        client,
        details={"client_number": client.client_number, "on_behalf": client.user_id is None},
    )
    client_id = client.pk
    transaction.on_commit(lambda: deliver_registration_confirmed.enqueue(client_id=client_id))


STATUS_FIELDS = ("status", "status_granted_on", "french_sufficient")
CONTACT_FIELDS = (
    "street_number",
    "street",
    "apartment",
    "po_box",
    "locality",
    "postal_code",
    "phone_home",
    "phone_work",
    "phone_work_ext",
    "phone_other",
)
# « Modifier vos coordonnées » also changes these (seed 000 §6.3).
CONTACT_UPDATE_FIELDS = (*CONTACT_FIELDS, "country", "correspondence_address", "fax")


def _update(
    client: Client,
    values: dict[str, Any],
    fields: tuple[str, ...],
    action: str,
    actor: Actor,
) -> None:
    changed = [f for f in fields if getattr(client, f) != values[f]]
    for field in fields:
        setattr(client, field, values[field])
    client.save()
    audit(actor, action, client, details={"changed": changed})


@transaction.atomic
def update_status(*, client: Client, values: dict[str, Any], actor: Actor | User) -> None:
    """« Modifier statut, permis ou certificat » (seed 000 §5.3.1)."""
    actor = as_actor(actor)
    _update(client, values, STATUS_FIELDS, "client.status_updated", actor)


@transaction.atomic
def update_contact(*, client: Client, values: dict[str, Any], actor: Actor | User) -> None:
    """« Modifier vos coordonnées » (seed 000 §6.3)."""
    actor = as_actor(actor)
    _update(client, values, CONTACT_UPDATE_FIELDS, "client.contact_updated", actor)


def send_user_code_reminder(*, identity: Identity, email: str = "") -> bool:
    """« Code d'utilisateur oublié » (seed 000 §4.2): first name, last name, date of birth, sex
    and one of reference number, client number or email. The user code goes by email only."""
    candidates = Client.objects.filter(
        last_name__iexact=identity.last_name,
        first_name__iexact=identity.first_name,
        birth_date=identity.birth_date,
        sex=identity.sex,
        user__isnull=False,
        user__is_active=True,
    ).select_related("user")
    keys = Q()
    if identity.reference_number:
        keys |= Q(reference_number__iexact=identity.reference_number)
    if identity.client_number:
        keys |= Q(client_number=identity.client_number)
    if email:
        keys |= Q(email__iexact=email) | Q(user__email__iexact=email)
    if not keys:
        return False
    client = candidates.filter(keys).first()
    if client is None or client.user is None:
        return False
    user_id = client.user.pk
    audit(None, "account.user_code_sent", client.user)
    transaction.on_commit(lambda: deliver_user_code_reminder.enqueue(user_id=user_id))
    return True


# Messages sent by the worker, from ids (guichet.core.email: nothing secret as a task argument).


@task()
def deliver_registration_confirmed(*, client_id: int) -> None:
    """« Confirmation d'inscription au Service en ligne de prise de rendez-vous », with the
    client number, in the client's language of correspondence."""
    client = Client.objects.select_related("user").filter(pk=client_id).first()
    if client is None or not client.email:
        return
    send_templated_email(
        to=client.email,
        template="registration_confirmed",
        context={"client_number": client.client_number},
        language=client.correspondence_language,
    )


@task()
def deliver_user_code_reminder(*, user_id: int) -> None:
    """« Code d'utilisateur oublié »: the user code, to the account's own address only."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    send_templated_email(
        to=user.email,
        template="user_code_reminder",
        context={"user_code": user.username},
        language=user.preferred_language,
    )


@transaction.atomic
def register_on_behalf(*, actor: Actor | User, data: dict[str, Any]) -> Client:
    """« Inscrire un nouveau client » (seed 000 §2.4, scenario 3): staff register a person who
    has no client file yet. The person receives the confirmation with the client number and an
    authorization code for a consultation profile, at the address staff typed — which is why
    this never touches a file that already exists (AlreadyOnFile)."""
    actor = as_actor(actor)
    staff = actor.person
    if not data["status"].eligible:
        raise Refused(
            "status_not_eligible",
            _("Ce statut ne donne pas accès au Service en ligne de prise de rendez-vous."),
            field="status",
        )
    identity = Identity.from_data(data)
    existing = find_by_identifiers(identity)
    if existing is not None and not identity.matches(existing):
        raise Refused(
            "identifiers_mismatch",
            _(
                "Ce numéro ne peut pas servir à cette inscription. Vérifiez le numéro, le nom "
                "et la date de naissance."
            ),
            field="reference_number",
        )
    match = existing or on_file(identity)
    if match is not None:
        raise AlreadyOnFile(match)
    client = _new_client(source=actor.source)
    if staff.role == Role.PARTNER_STAFF:
        client.registered_by_organisation_id = staff.organisation_id
    answers = {**data, "french_sufficient": data["french_sufficient"] == YES}
    _fill(client, answers, status=data["status"], language=data["language"])
    _save(
        client,
        refused=Refused(
            "identifiers_taken",
            _("Un de ces numéros vient d'être inscrit pour une autre personne."),
            field="reference_number",
        ),
    )
    _registered(client, actor, "client.registered")
    request_authorization_code(client=client, actor=actor)
    return client


ACCESS_REQUEST_DAYS = 14


@transaction.atomic
def request_partner_access(*, actor: Actor | User, identity: Identity) -> None:
    """A partner asks a person already on file for access to their client file. The question
    goes to the address already on file (never one staff typed), with a single-use link; the
    partner learns nothing more whatever happens (no file, already asked, refused before)."""
    actor = as_actor(actor)
    staff = actor.person
    if staff.role != Role.PARTNER_STAFF or staff.organisation_id is None:
        return
    client = on_file(identity)
    if client is None or not identity.matches(client) or not client.email:
        return
    access = (
        PartnerAccess.objects.select_for_update()
        .filter(client=client, organisation_id=staff.organisation_id)
        .first()
    )
    now = timezone.now()
    if access is not None and (
        access.status == AccessRequestStatus.GRANTED
        or (access.status == AccessRequestStatus.PENDING and access.expires_at > now)
        or access.status == AccessRequestStatus.REFUSED
    ):
        return  # asked already, or answered: the person is not asked again by this organisation
    if access is None:
        access = PartnerAccess(
            client=client, organisation_id=staff.organisation_id, status=AccessRequestStatus.PENDING
        )
    else:  # a request that expired unanswered is asked again
        step(access, ACCESS_TRANSITIONS, "ask_again", actor=actor, save=False)
    access.requested_by = staff
    access.token_digest = _access_digest(secrets.token_urlsafe(32))  # replaced by the worker
    access.expires_at = now + timedelta(days=ACCESS_REQUEST_DAYS)
    access.decided_at = None
    access.save()
    audit(actor, "client.partner_access_requested", client)
    access_id = access.pk
    transaction.on_commit(lambda: deliver_partner_access_request.enqueue(access_id=access_id))


def _access_digest(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


@task()
def deliver_partner_access_request(*, access_id: int) -> None:
    """« Demande d'accès à votre dossier »: the link's token is made here, stored as a digest."""
    access = (
        PartnerAccess.objects.select_related("client__user", "organisation")
        .filter(pk=access_id, status=AccessRequestStatus.PENDING)
        .first()
    )
    if access is None:
        return
    token = secrets.token_urlsafe(32)
    PartnerAccess.objects.filter(pk=access.pk).update(token_digest=_access_digest(token))
    language = access.client.correspondence_language
    send_templated_email(
        to=access.client.email,
        template="partner_access_request",
        context={
            "organisation": access.organisation.name,
            "days": ACCESS_REQUEST_DAYS,
            "url": site_url("clients:partner_access", language, token=token),
        },
        language=language,
    )


def pending_access(token: str) -> PartnerAccess | None:
    return (
        PartnerAccess.objects.select_related("organisation")
        .filter(
            token_digest=_access_digest(token),
            status=AccessRequestStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def decide_partner_access(
    *, token: str, grant: bool, actor: Actor | None = None
) -> PartnerAccess | None:
    """The person's answer, once: a conditional UPDATE finds the request still pending. The
    person answers from the link, signed in or not: `actor` carries the request's address."""
    access = pending_access(token)
    if access is None:
        return None
    decided = move(
        PartnerAccess.objects.filter(pk=access.pk),
        ACCESS_TRANSITIONS,
        "grant" if grant else "refuse",
        actor=actor,
        payload={"organisation": access.organisation_id},
        decided_at=timezone.now(),
    )
    if not decided:
        return None
    access.refresh_from_db()
    audit(
        actor,
        "client.partner_access_granted" if grant else "client.partner_access_refused",
        access.client,
        details={"organisation": access.organisation_id},
    )
    return access
