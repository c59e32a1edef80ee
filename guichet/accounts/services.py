"""Account workflows: creating a consultation profile, recovering access, changing credentials."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.email import already_sent, send_templated_email, site_url
from guichet.core.refusals import Refused

from .models import (
    Role,
    SecurityAnswer,
    SecurityQuestion,
    TemporaryPassword,
    User,
    canonical_user_code,
)
from .signals import profile_created

# Set once an authorization code is verified (guichet.clients.views); read when the profile is
# created, to link it to the registration (seed 000 §3.2).
PROFILE_AUTHORIZATION_SESSION_KEY = "profile_authorization"


class UserCodeTaken(Refused):
    def __init__(self) -> None:
        super().__init__(
            "user_code_taken",
            _("Ce code d'utilisateur vient d'être pris. Choisissez-en un autre."),
            field="user_code",
        )


class EmailTaken(Refused):
    def __init__(self) -> None:
        super().__init__(
            "email_taken",
            _("Un profil de consultation existe déjà pour cette adresse électronique."),
            field="email",
        )


def user_code_exists(user_code: str) -> bool:
    return User.objects.filter(username__iexact=user_code).exists()


def email_exists(email: str, *, exclude: User | None = None) -> bool:
    found = User.objects.filter(email__iexact=email)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.exists()


def set_security_answers(user: User, answers: Sequence[tuple[str, str]]) -> None:
    """Replace the account's security questions and answers (hashed)."""
    _set_answers(user, answers)


def _set_answers(user: User, answers: Sequence[tuple[str, str]]) -> None:
    SecurityAnswer.objects.filter(user=user).delete()
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, position=i, question=q, answer_hash=make_password(a))
        for i, (q, a) in enumerate(answers, start=1)
    )


@transaction.atomic
def create_client_profile(
    *,
    user_code: str,
    password_hash: str,
    email: str,
    answers: Sequence[tuple[str, str]],
    language: str,
    actor: Actor | None = None,
    authorization: dict[str, Any] | None = None,
) -> User:
    """« Créer son profil de consultation » (seed 000 §3.3). The password arrives already hashed:
    it was checked against the policy at sub-step 1 and never kept in clear. `authorization`
    is the verified authorization code the person started from, if any: the apps above hear
    of the new profile (`profile_created`) in this transaction, and a refusal undoes it."""
    if user_code_exists(user_code):
        raise UserCodeTaken
    if email_exists(email):
        raise EmailTaken
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=user_code,
                password=password_hash,
                email=email,
                role=Role.CLIENT,
                preferred_language=language,
            )
    except IntegrityError as error:  # lost a race on one of the unique indexes
        if user_code_exists(user_code):
            raise UserCodeTaken from error
        raise EmailTaken from error
    _set_answers(user, answers)
    audit(as_actor(actor).acting_as(user), "account.profile_created", user)
    profile_created.send(sender=User, user=user, authorization=authorization)
    _send_verification(user)
    return user


# --- The email address confirmed (one account per email, seed 002) ----------------------------

VERIFICATION_SALT = "guichet.accounts.email-verification"
VERIFICATION_DAYS = 7


def _address_tag(user: User) -> str:
    """Ties a link to the address it was sent to, without showing it: a keyed digest."""
    return salted_hmac(VERIFICATION_SALT, user.email.strip().lower()).hexdigest()[:20]


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "a": _address_tag(user)}, salt=VERIFICATION_SALT)


def _send_verification(user: User) -> None:
    user_id = user.pk
    transaction.on_commit(lambda: deliver_email_verification.enqueue(user_id=user_id))


@task()
def deliver_email_verification(*, user_id: int) -> None:
    """The link that confirms the address: the link only, nothing about the person."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.email_verified_at is not None:
        return
    language = user.preferred_language
    send_templated_email(
        to=user.email,
        template="email_verification",
        context={
            "url": site_url("accounts:verify_email", language, token=verification_token(user)),
            "days": VERIFICATION_DAYS,
        },
        language=language,
    )


def send_email_verification(*, actor: Actor | User) -> None:
    """« Envoyer de nouveau le lien de confirmation »."""
    actor = as_actor(actor)
    user = actor.person
    if user.email_verified_at is not None:
        raise Refused("already_verified", _("Votre adresse courriel est déjà confirmée."))
    audit(actor, "account.email_verification_sent", user)
    _send_verification(user)


@transaction.atomic
def verify_email(*, token: str, actor: Actor | None = None) -> User:
    """The link opened: the address it was sent to is confirmed, if it is still the account's."""
    refused = Refused(
        "bad_link",
        _(
            "Ce lien de confirmation n'est pas valide ou a expiré. Connectez-vous et demandez un "
            "nouveau lien à la page « Confirmer mon adresse courriel »."
        ),
    )
    try:
        claims = signing.loads(
            token, salt=VERIFICATION_SALT, max_age=timedelta(days=VERIFICATION_DAYS)
        )
        user_id, tag = int(claims["u"]), str(claims["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise refused from None
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or not hmac.compare_digest(tag, _address_tag(user)):
        raise refused
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit(as_actor(actor).acting_as(user), "account.email_verified", user)
    return user


def sign_in_question(user: User) -> str:
    """The security question asked after the password, or "" when the account's kind does not
    ask one (settings.SIGN_IN_QUESTION_KINDS) or has none yet. One of its questions, drawn at
    random for each sign-in."""
    if user.credential_kind not in settings.SIGN_IN_QUESTION_KINDS:
        return ""
    mine = list(user.security_answers.values_list("question", flat=True))
    return secrets.choice(mine) if mine else ""


def check_security_answer(user: User, question: str, answer: str) -> bool:
    """Exact comparison, as the seed requires (case and spaces matter)."""
    stored = SecurityAnswer.objects.filter(user=user, question=question).first()
    return stored is not None and check_password(answer, stored.answer_hash)


@transaction.atomic
def update_profile(
    *,
    actor: Actor | User,
    email: str,
    answers: Sequence[tuple[str, str | None]],
) -> None:
    """« Modifier votre profil de consultation » (seed 000 §6.2). An empty answer keeps the
    stored answer when its question is unchanged."""
    actor = as_actor(actor)
    user = actor.person
    if email_exists(email, exclude=user):
        raise EmailTaken
    changed = []
    if user.email.lower() != email.lower():
        changed.append("email")
        user.email_verified_at = None  # the new address is confirmed by its own link
        _send_verification(user)
    user.email = email
    user.save(update_fields=["email", "email_verified_at"])
    current = {a.position: a for a in user.security_answers.all()}
    rows = []
    for position, (question, answer) in enumerate(answers, start=1):
        old = current.get(position)
        if answer:
            answer_hash = make_password(answer)
        elif old is not None and old.question == question:
            answer_hash = old.answer_hash
        else:
            raise ValueError("a new question needs an answer")
        rows.append(
            SecurityAnswer(user=user, position=position, question=question, answer_hash=answer_hash)
        )
    questions_changed = [r.question for r in rows] != [current[p].question for p in sorted(current)]
    if questions_changed or any(answer for _, answer in answers):
        changed.append("security_questions")
    SecurityAnswer.objects.filter(user=user).delete()
    SecurityAnswer.objects.bulk_create(rows)
    audit(actor, "account.profile_updated", user, details={"changed": changed})


def change_password(*, actor: Actor | User, new_password: str) -> None:
    actor = as_actor(actor)
    user = actor.person
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    TemporaryPassword.objects.filter(user=user, used_at__isnull=True).delete()
    audit(actor, "account.password_changed", user)


def signed_in(*, user: User, language: str = "") -> None:
    """A sign-in ends any temporary password still unused: whoever asked for it has signed in
    with their own password, so the one in the mailbox must not open the account later.
    `language` is a correspondence language chosen on the way in (the employers' portal's
    « Choisissez votre langue de correspondance », seed 004 §I): it becomes the account's."""
    TemporaryPassword.objects.filter(user=user, used_at__isnull=True).delete()
    languages = {code for code, _name in settings.LANGUAGES}
    if language in languages and language != user.preferred_language:
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        user.preferred_language = language


TEMPORARY_ALPHABET = string.ascii_letters + string.digits


def _temporary_password() -> str:
    # Letters and digits only, 12 characters, with both: easy to type, ~71 bits of entropy.
    while True:
        candidate = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


def find_recovery_account(*, user_code: str, email: str) -> User | None:
    """The account « Mot de passe oublié » may recover: user code and email must match. Staff
    recover through their administrator, never by email; employers through their CléGC."""
    canonical = canonical_user_code(user_code)
    if not canonical:
        return None
    return User.objects.filter(
        username__iexact=canonical,
        email__iexact=email.strip(),
        is_active=True,
        # Employers recover through their CléGC recovery answers (guichet.employers).
        role=Role.CLIENT,
    ).first()


def recovery_pick(user_code: str) -> int:
    """A number fixed for a user code (and unguessable without the secret key) that picks
    which of several questions is asked."""
    return int(
        hmac.new(
            settings.SECRET_KEY.encode(),
            f"recovery:{canonical_user_code(user_code) or user_code.strip().casefold()}".encode(),
            hashlib.sha256,
        ).hexdigest(),
        16,
    )


def recovery_question(*, user: User | None, user_code: str) -> str:
    """The security question to ask: one of the account's own, or, when nothing matched, a
    decoy that stays the same for that user code, so the screen reveals nothing."""
    # Both are picked the same way, stable for a user code between tries: a question that
    # changed from one try to the next once told the real accounts from the decoys.
    index = recovery_pick(user_code)
    if user is not None:
        mine = list(user.security_answers.order_by("position").values_list("question", flat=True))
        return mine[index % len(mine)] if mine else ""
    choices = [q for q, _ in SecurityQuestion.choices]
    return choices[index % len(choices)]


def send_temporary_password(*, actor: Actor | User) -> None:
    """« Mot de passe oublié » (seed 000 §4.3): a random temporary password by email. The
    request only queues the user's id; the worker makes the password, so it is never stored
    anywhere but as a hash (not in the task table either)."""
    actor = as_actor(actor)
    user = actor.person
    audit(actor, "account.temporary_password_sent", user)
    user_id = user.pk
    transaction.on_commit(lambda: deliver_temporary_password.enqueue(user_id=user_id))


@task()
def deliver_temporary_password(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or already_sent(to=user.email, template="temporary_password"):
        return
    password = _temporary_password()
    with transaction.atomic():
        TemporaryPassword.objects.filter(user=user, used_at__isnull=True).delete()
        TemporaryPassword.objects.create(
            user=user,
            password_hash=make_password(password),
            expires_at=timezone.now() + timedelta(hours=settings.TEMPORARY_PASSWORD_HOURS),
        )
    send_templated_email(
        to=user.email,
        template="temporary_password",
        context={"password": password, "hours": settings.TEMPORARY_PASSWORD_HOURS},
        language=user.preferred_language,
    )
