"""Named credential policies (SPEC A5; docs/adr/0006).

- `micc`   seed 000 §1.1: user code and password 8 to 16 Latin letters and digits; the password
           combines letters and digits.
- `gckey`  seed 004 §II: user name 8 to 16 characters, at most 7 digits, no special character;
           password 8 to 16 with at least one upper-case letter, one lower-case letter and one
           digit, sharing no 3 consecutive characters with the user name.
- `modern` NIST SP 800-63B rev. 4: passphrases of 15 to 64 characters, any characters (spaces and
           accents included), refused when found in a list of common passwords. No composition
           rules, no forced periodic change.

Which policy applies to which kind of account is a setting (`PASSWORD_POLICIES`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LATIN_ALNUM = re.compile(r"^[A-Za-z0-9]+$")


@cache
def _common_passwords() -> CommonPasswordValidator:
    return CommonPasswordValidator()


@dataclass(frozen=True)
class Policy:
    name: str
    min_length: int
    max_length: int

    def validate_user_code(self, user_code: str) -> None:
        if self.name == "gckey":
            valid = 8 <= len(user_code) <= 16 and LATIN_ALNUM.match(user_code)
            if not valid or sum(c.isdigit() for c in user_code) > 7:
                raise ValidationError(
                    _(
                        "Votre nom d'utilisateur doit contenir entre huit et seize caractères, "
                        "au plus sept chiffres, et ne comprendre aucun caractère spécial (par "
                        "exemple : %, #, @)."
                    )
                )
            return
        errors = []
        if not self.min_length <= len(user_code) <= 16 or not LATIN_ALNUM.match(user_code):
            errors.append(
                _(
                    "Le code d'utilisateur doit comporter de 8 à 16 caractères, constitués de "
                    "chiffres et de lettres de l'alphabet latin, sans accents ni caractères "
                    "spéciaux."
                )
            )
        if errors:
            raise ValidationError(errors)

    def validate_password(self, password: str, user_code: str = "") -> None:
        if self.name == "micc":
            self._validate_micc(password)
        elif self.name == "gckey":
            self._validate_gckey(password, user_code)
        else:
            self._validate_modern(password, user_code)

    def help_text(self) -> str:
        return {
            "micc": _(
                "De 8 à 16 caractères : une combinaison de chiffres et de lettres de l'alphabet "
                "latin, minuscules ou majuscules, sans accents ni caractères spéciaux."
            ),
            "gckey": _(
                "De 8 à 16 caractères, dont au moins une lettre majuscule, une lettre minuscule "
                "et un chiffre; ne doit pas partager 3 caractères consécutifs avec le nom "
                "d'utilisateur."
            ),
            "modern": _(
                "Une phrase de passe d'au moins 15 caractères, facile à retenir pour vous; les "
                "espaces et les accents sont permis."
            ),
        }[self.name]

    def _validate_micc(self, password: str) -> None:
        if (
            not 8 <= len(password) <= 16
            or not LATIN_ALNUM.match(password)
            or not any(c.isdigit() for c in password)
            or not any(c.isalpha() for c in password)
        ):
            raise ValidationError(
                _(
                    "Le mot de passe doit comporter de 8 à 16 caractères et être une combinaison "
                    "de chiffres et de lettres de l'alphabet latin, sans accents ni caractères "
                    "spéciaux."
                ),
                code="password_policy",
            )

    def _validate_gckey(self, password: str, user_code: str) -> None:
        errors = []
        if (
            not 8 <= len(password) <= 16
            or not any(c.isupper() for c in password)
            or not any(c.islower() for c in password)
            or not any(c.isdigit() for c in password)
            or not password.isascii()
            or any(c.isspace() for c in password)
        ):
            errors.append(
                _(
                    "Votre mot de passe doit contenir entre huit et seize caractères, comprendre "
                    "au moins une lettre majuscule, une lettre minuscule, un chiffre, et des "
                    "caractères valides."
                )
            )
        if shares_consecutive(password, user_code, 3):
            errors.append(
                _(
                    "Votre mot de passe ne doit pas partager 3 caractères consécutifs avec le nom "
                    "d'utilisateur."
                )
            )
        if errors:
            raise ValidationError(errors, code="password_policy")

    def _validate_modern(self, password: str, user_code: str) -> None:
        normalized = unicodedata.normalize("NFKC", password)
        errors = []
        if len(normalized) < self.min_length:
            errors.append(
                _("La phrase de passe doit comporter au moins %(min)d caractères.")
                % {"min": self.min_length}
            )
        if len(normalized) > self.max_length:
            errors.append(
                _("La phrase de passe doit comporter au plus %(max)d caractères.")
                % {"max": self.max_length}
            )
        lowered = normalized.lower()
        if lowered in _common_passwords().passwords or (user_code and user_code.lower() in lowered):
            errors.append(_("Cette phrase de passe est trop courante ou trop facile à deviner."))
        if errors:
            raise ValidationError(errors, code="password_policy")


def shares_consecutive(password: str, user_code: str, run: int) -> bool:
    """True if any `run` consecutive characters of the password appear in the user code
    (case-insensitive)."""
    if not user_code:
        return False
    lowered_code = user_code.lower()
    lowered = password.lower()
    return any(lowered[i : i + run] in lowered_code for i in range(len(lowered) - run + 1))


POLICIES = {
    "micc": Policy("micc", 8, 16),
    "gckey": Policy("gckey", 8, 16),
    "modern": Policy("modern", 15, 64),
}


def policy_for(kind: str) -> Policy:
    """The policy configured for a kind of account: "client", "employer" or "staff"."""
    return POLICIES[settings.PASSWORD_POLICIES[kind]]


class AccountPolicyValidator:
    """Django password validator that applies the account's named policy."""

    def validate(self, password: str, user: object = None) -> None:
        kind = getattr(user, "credential_kind", "client")
        policy_for(kind).validate_password(password, getattr(user, "username", "") or "")

    def get_help_text(self) -> str:
        return policy_for("client").help_text()
