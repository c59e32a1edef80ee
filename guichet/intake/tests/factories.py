"""Candidates, periods and applications for the intake's tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.accounts.models import Role, SecurityAnswer, User
from guichet.accounts.tests.factories import PASSWORD, UserFactory, staff
from guichet.core.events import delivered
from guichet.demo.intake_data import example_application
from guichet.dossiers.models import Dossier
from guichet.intake import eligibility, services
from guichet.intake.models import IntakePeriod

QUESTIONS = ("first_flight", "first_pet")
ANSWERS = {"first_flight": "Montréal", "first_pet": "Minou"}


def candidate(**kwargs: Any) -> User:
    """A client with a password, two security answers (seed 000 §3.3) and a confirmed email."""
    kwargs.setdefault("email_verified_at", timezone.now())
    user = UserFactory.create(role=Role.CLIENT, **kwargs)
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, position=i, question=q, answer_hash=make_password(ANSWERS[q]))
        for i, q in enumerate(QUESTIONS, start=1)
    )
    return user


def credentials(user: User) -> dict[str, Any]:
    return {"user_code": user.username, "password": PASSWORD, "answers": dict(ANSWERS)}


def officer() -> User:
    user = staff(Role.MINISTRY_STAFF)
    user.handles_intake = True
    user.save(update_fields=["handles_intake"])
    return user


def period(
    *,
    quota: int = 10,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    **kwargs: Any,
) -> IntakePeriod:
    """An open period by default."""
    opens_at = opens_at or timezone.now() - timedelta(hours=1)
    return IntakePeriod.objects.create(
        opens_at=opens_at,
        closes_at=closes_at or opens_at + timedelta(days=7),
        quota=quota,
        **kwargs,
    )


def fee_schedule() -> None:
    from guichet.payments.models import Fee, FeeRate

    for code, cents in (("csq-requerant-principal", 86600), ("csq-personne-a-charge", 18500)):
        fee, _ = Fee.objects.get_or_create(code=code, defaults={"label_fr": code, "label_en": code})
        FeeRate.objects.get_or_create(
            fee=fee, valid_from=date(2020, 1, 1), defaults={"amount_cents": cents}
        )


def application(user: User | None = None, *, complete: bool = True, **identity: Any) -> Dossier:
    """A draft, every section filled as the demo fills it (or empty)."""
    user = user or candidate()
    dossier = services.start(actor=user)
    if complete:
        dossier.data = {**dossier.data, **example_application(**identity)}
        dossier.save(update_fields=["data"])
        eligibility.refresh(dossier)
    return dossier


def submitted(user: User | None = None, **identity: Any) -> Dossier:
    user = user or candidate()
    dossier = application(user, **identity)
    with delivered():  # its commitment's clock starts, as after the commit
        return services.submit(dossier=dossier, actor=user, **credentials(user))


def queuer(identity: dict[str, Any] | None = None, **user_fields: Any) -> User:
    """A candidate who may take a number in the waiting room: a confirmed email and a complete
    application within the quota (a distinct identity each)."""
    user = candidate(**user_fields)
    identity = dict(identity or {})
    identity.setdefault("passport", f"QA{user.pk:07d}")
    identity.setdefault(
        "last_name", f"Candidat{chr(65 + user.pk % 26)}{chr(65 + user.pk // 26 % 26)}"
    )
    application(user, **identity)
    return user


def bulk_candidates(count: int, prefix: str, **fields: Any) -> list[User]:
    """Many candidates at once (the concurrency tests): accounts with a password and both
    security answers, made in bulk."""
    password = make_password(PASSWORD)
    hashed = {q: make_password(a) for q, a in ANSWERS.items()}
    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{n:04d}",
            email=f"{prefix}{n:04d}@example.org",
            role=Role.CLIENT,
            password=password,
            **fields,
        )
        for n in range(count)
    )
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=u, position=i, question=q, answer_hash=hashed[q])
        for u in users
        for i, q in enumerate(QUESTIONS, start=1)
    )
    return users
