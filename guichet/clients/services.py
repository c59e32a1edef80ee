"""Registration to the « Service en ligne de prise de rendez-vous » (seed 000 §4.4 to 4.11)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.models import User
from guichet.audit.services import audit
from guichet.core.email import send_templated_email
from guichet.numbering.services import next_value

from .models import Client, ImmigrationStatus, Locality

CLIENT_NUMBER_FIRST = 10001
CLIENT_NUMBER_LAST = 99999


class NotEligible(Exception):
    """« Nous ne pouvons vous inscrire… votre statut ne vous permet pas d'utiliser ce service. »"""


class AlreadyRegistered(Exception):
    """« …vous vous êtes déjà enregistré … mais avec un autre profil de consultation. »"""


class IdentityMismatch(Exception):
    """An identifier was given that belongs to a ministry record with another identity."""


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
            client.last_name.casefold() == self.last_name.casefold()
            and client.first_name.casefold() == self.first_name.casefold()
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


def check_identity(*, user: User, identity: Identity) -> Client | None:
    """Step 2 rules. Returns the existing ministry record to link, or None for a new client."""
    existing = find_by_identifiers(identity)
    if existing is None:
        # Same identity already registered under another consultation profile.
        same_person = Client.objects.filter(
            last_name__iexact=identity.last_name,
            first_name__iexact=identity.first_name,
            birth_date=identity.birth_date,
            sex=identity.sex,
            user__isnull=False,
        ).exclude(user=user)
        if same_person.exists():
            raise AlreadyRegistered
        return None
    if not identity.matches(existing):
        raise IdentityMismatch
    if existing.user_id is not None and existing.user_id != user.pk:
        raise AlreadyRegistered
    return existing


@transaction.atomic
def register_client(
    *, user: User, data: dict[str, Any], request: HttpRequest | None = None
) -> Client:
    """Save the six steps at once (nothing is saved before step 6 is confirmed) and give the
    person a client number. `data` holds the cleaned values of steps 1 to 5."""
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
    else:
        number = next_value("client_number", first=CLIENT_NUMBER_FIRST, last=CLIENT_NUMBER_LAST)
        client = Client(client_number=f"{number:05d}")
    client.user = user
    client.status = status
    client.status_granted_on = data["status_granted_on"]
    for field in PROFILE_FIELDS:
        setattr(client, field, data.get(field, getattr(client, field)))
    client.reference_number = data.get("reference_number") or client.reference_number
    client.cic_client_id = data.get("cic_client_id") or client.cic_client_id
    client.email = data["email"]
    client.language = user.preferred_language if user.preferred_language in ("fr", "en") else "fr"
    client.locality = Locality.objects.get(pk=data["locality"])
    client.declaration_accepted_at = timezone.now()
    client.consents_to_partner_access = True
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as error:  # an identifier was registered concurrently
        raise AlreadyRegistered from error
    audit(
        user,
        "client.registered" if existing is None else "client.linked",
        client,
        request=request,
        details={"client_number": client.client_number},
    )
    client_number, email, language = client.client_number, client.email, user.preferred_language
    transaction.on_commit(
        lambda: send_templated_email(
            to=email,
            template="registration_confirmed",
            context={"client_number": client_number},
            language=language,
        )
    )
    return client


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


def _update(
    client: Client,
    values: dict[str, Any],
    fields: tuple[str, ...],
    action: str,
    actor: User,
    request: HttpRequest | None,
) -> None:
    changed = [f for f in fields if getattr(client, f) != values[f]]
    for field in fields:
        setattr(client, field, values[field])
    client.save()
    audit(actor, action, client, request=request, details={"changed": changed})


@transaction.atomic
def update_status(
    *, client: Client, values: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> None:
    """« Modifier statut, permis ou certificat » (seed 000 §5.3.1)."""
    _update(client, values, STATUS_FIELDS, "client.status_updated", actor, request)


@transaction.atomic
def update_contact(
    *, client: Client, values: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> None:
    """« Modifier vos coordonnées » (seed 000 §6.3)."""
    _update(client, values, CONTACT_FIELDS, "client.contact_updated", actor, request)


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
    user = client.user
    send_templated_email(
        to=user.email,
        template="user_code_reminder",
        context={"user_code": user.username},
        language=user.preferred_language,
    )
    audit(None, "account.user_code_sent", user)
    return True
