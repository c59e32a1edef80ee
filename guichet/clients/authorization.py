"""Authorization codes (seed 000 §3.2): issued when a partner registers a person, used once to
create a consultation profile linked to that registration."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.accounts.models import PersonalProfile, User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.email import already_sent, send_templated_email
from guichet.core.refusals import Refused

from .models import AuthorizationCode, Client

# No 0/O or 1/I/L: the code is read from an email and typed by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12


def normalize(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def digest(code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), normalize(code).encode(), hashlib.sha256
    ).hexdigest()


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _new_code(client: Client, purpose: str, expires_at: datetime) -> str:
    """A fresh code of this purpose for `client`, replacing any unused one; only its digest
    is stored. Returns the code itself, to be sent and forgotten."""
    AuthorizationCode.objects.filter(client=client, purpose=purpose, used_at__isnull=True).delete()
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    AuthorizationCode.objects.create(
        client=client, purpose=purpose, digest=digest(raw), expires_at=expires_at
    )
    return raw


@transaction.atomic
def issue_authorization_code(*, client: Client, actor: User | None, language: str = "fr") -> str:
    """Create a code for `client`, replacing any unused one, and email it in the message
    « Créez votre profil de consultation ». Returns the code (the back office may print it)."""
    if client.user_id is not None:
        raise Refused("has_profile", _("Ce client a déjà un profil de consultation."))
    raw = _new_code(
        client,
        AuthorizationCode.Purpose.PROFILE,
        timezone.now() + timedelta(days=settings.AUTHORIZATION_CODE_DAYS),
    )
    audit(actor, "client.authorization_code_issued", client)
    code, email, days = format_code(raw), client.email, settings.AUTHORIZATION_CODE_DAYS
    # Sent from memory after the commit: the code itself is stored nowhere but as a digest.
    transaction.on_commit(
        lambda: send_templated_email(
            to=email,
            template="authorization_code",
            context={"code": code, "days": days},
            language=language,
        )
    )
    return code


def request_authorization_code(*, client: Client, actor: Actor | User | None) -> None:
    """From a request: the worker makes and sends the code (only the ids are queued)."""
    user = as_actor(actor).user
    client_id, actor_id = client.pk, user.pk if user is not None else None
    transaction.on_commit(
        lambda: deliver_authorization_code.enqueue(client_id=client_id, actor_id=actor_id)
    )


@task()
def deliver_authorization_code(*, client_id: int, actor_id: int | None) -> None:
    client = Client.objects.select_related("user").filter(pk=client_id).first()
    if client is None or client.user_id is not None:
        return
    if already_sent(to=client.email, template="authorization_code"):
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    issue_authorization_code(client=client, actor=actor, language=client.correspondence_language)


LINK_CODE_HOURS = 24


def request_link_code(*, client: Client, user: User) -> None:
    """Step 6 claims `client`, a ministry record with an address on file: the worker sends a
    code there, which the person types to prove the record is theirs."""
    client_id, user_id = client.pk, user.pk
    transaction.on_commit(lambda: deliver_link_code.enqueue(client_id=client_id, user_id=user_id))


@task()
def deliver_link_code(*, client_id: int, user_id: int) -> None:
    client = Client.objects.select_related("user").filter(pk=client_id).first()
    if client is None or client.user_id is not None or not client.email:
        return
    if already_sent(to=client.email, template="link_code"):
        return
    with transaction.atomic():
        raw = _new_code(
            client,
            AuthorizationCode.Purpose.LINK,
            timezone.now() + timedelta(hours=LINK_CODE_HOURS),
        )
    audit(None, "client.link_code_sent", client, details={"user": user_id})
    send_templated_email(
        to=client.email,
        template="link_code",
        context={"code": format_code(raw), "hours": LINK_CODE_HOURS},
        language=client.correspondence_language,
    )


def use_link_code(*, client: Client, code: str) -> bool:
    """True once, for the right unexpired code of this client."""
    return bool(
        AuthorizationCode.objects.filter(
            client=client,
            purpose=AuthorizationCode.Purpose.LINK,
            digest=digest(code),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(used_at=timezone.now())
    )


def verifying(authorization_id: object) -> AuthorizationCode | None:
    """The authorization code a profile creation in progress started from (its id kept in the
    visitor's session once the code was typed)."""
    if not isinstance(authorization_id, int):
        return None
    return AuthorizationCode.objects.select_related("client").filter(pk=authorization_id).first()


def find_valid(code: str) -> AuthorizationCode | None:
    return (
        AuthorizationCode.objects.filter(
            digest=digest(code),
            purpose=AuthorizationCode.Purpose.PROFILE,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("client")
        .first()
    )


@transaction.atomic
def link_profile(*, authorization_id: int, user: User) -> Client:
    """Use the code once: the new profile is linked to the existing registration."""
    used = AuthorizationCode.objects.filter(
        pk=authorization_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now())
    if not used:
        raise Refused("code_used", _("Le code d'autorisation a déjà été utilisé ou est expiré."))
    authorization = AuthorizationCode.objects.select_related("client").get(pk=authorization_id)
    client = Client.objects.select_for_update().get(pk=authorization.client_id)
    if client.user_id is not None:
        raise Refused("has_profile", _("Ce client a déjà un profil de consultation."))
    client.user = user
    client.save(update_fields=["user", "updated_at"])
    PersonalProfile.forget_identity_copy(user)
    audit(user, "client.profile_linked", client)
    return client
