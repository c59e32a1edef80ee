"""System checks of the payment settings (`manage.py check`, and at start in production: see
config/wsgi.py). The test bank's demo key and secret are public — they are in the settings
module — so a notification signed with them proves nothing: outside DEBUG they are an error."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

TAG = "payments"
MINIMUM_SECRET_LENGTH = 32


@checks.register(TAG)
def payment_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    found: list[checks.CheckMessage] = []
    uses_bank = settings.TESTBANK_ENABLED or settings.PAYMENT_PROVIDER == "banque_essai"
    if uses_bank:
        for name, demo in (
            ("TESTBANK_SECRET", settings.TESTBANK_DEMO_SECRET),
            ("TESTBANK_API_KEY", settings.TESTBANK_DEMO_API_KEY),
        ):
            value = getattr(settings, name)
            if value == demo or len(value) < MINIMUM_SECRET_LENGTH:
                found.append(
                    checks.Error(
                        f"{name} is the demo's (public) value or shorter than "
                        f"{MINIMUM_SECRET_LENGTH} characters while DEBUG is off.",
                        hint=f"Set {name} to a long random value shared with the bank only, "
                        "or turn the test bank off (TESTBANK_ENABLED=false, another "
                        "PAYMENT_PROVIDER).",
                        id="payments.E001",
                    )
                )
    if not settings.PAYMENT_PROVIDER:
        found.append(
            checks.Warning(
                "PAYMENT_PROVIDER is not set: online payment is unavailable (pay pages say so).",
                hint="Name the provider of the hosted payment page.",
                id="payments.W001",
            )
        )
    return found


def refuse_to_start() -> None:
    """Called by the WSGI and ASGI entry points: a serious payment-settings error stops the
    process (gunicorn never runs `manage.py check`)."""
    from django.core.exceptions import ImproperlyConfigured

    errors = [m for m in checks.run_checks(tags=[TAG]) if m.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{m.id}: {m.msg}" for m in errors))
