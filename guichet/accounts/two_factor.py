"""Second factor: TOTP (RFC 6238, pyotp) with single-use recovery codes (SPEC A7).
Optional for clients; required for staff, who cannot use any page before setting it up."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import pyotp
import segno
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor

from .models import RecoveryCode, TwoFactorDevice, User

ISSUER = "Guichet Québec"
RECOVERY_CODES = 10
VALID_WINDOW = 1  # accept the previous and next 30-second step (clock drift)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG markup (no image request, no script)."""
    return str(
        segno.make(uri, error="m").svg_inline(
            dark="#223654", light="#ffffff", omitsize=True, title=str(_("Code QR de configuration"))
        )
    )


def _matching_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    code = "".join(c for c in code if c.isdigit())
    if len(code) != 6:
        return None
    now = timezone.now()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        moment = now.timestamp() + offset * totp.interval
        if secrets.compare_digest(totp.at(moment), code):
            return int(moment // totp.interval)
    return None


def has_device(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user).exists()


def required_for(user: User) -> bool:
    return user.is_staff_member


@transaction.atomic
def enable(*, actor: Actor | User, secret: str, code: str) -> list[str] | None:
    """Confirm the authenticator with one valid code; return the recovery codes (shown once)."""
    actor = as_actor(actor)
    user = actor.person
    step = _matching_step(secret, code)
    if step is None:
        return None
    TwoFactorDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step}
    )
    codes = _new_recovery_codes(user)
    audit(actor, "account.two_factor_enabled", user)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=make_password(code)) for code in codes
    )
    return codes


@transaction.atomic
def verify(*, actor: Actor | User, code: str) -> bool:
    """A current TOTP code not used before, or an unused recovery code."""
    actor = as_actor(actor)
    user = actor.person
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return False
    step = _matching_step(device.secret, code)
    if step is not None:
        if step <= device.last_step:
            return False  # replayed
        device.last_step = step
        device.save(update_fields=["last_step"])
        return True
    candidate = code.strip().lower()
    for recovery in RecoveryCode.objects.select_for_update().filter(
        user=user, used_at__isnull=True
    ):
        if check_password(candidate, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            audit(actor, "account.recovery_code_used", user)
            return True
    return False


@transaction.atomic
def disable(*, actor: Actor | User) -> None:
    actor = as_actor(actor)
    user = actor.person
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit(actor, "account.two_factor_disabled", user)


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def current_code(secret: str) -> str:
    return str(pyotp.TOTP(secret).now())


__all__: Sequence[str] = [
    "disable",
    "enable",
    "has_device",
    "new_secret",
    "provisioning_uri",
    "qr_svg",
    "required_for",
    "verify",
]
