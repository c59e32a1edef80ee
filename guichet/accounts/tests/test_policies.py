import pytest
from django.core.exceptions import ValidationError

from guichet.accounts.policies import POLICIES, shares_consecutive

MICC = POLICIES["micc"]
GCKEY = POLICIES["gckey"]
MODERN = POLICIES["modern"]


@pytest.mark.parametrize("code", ["BrAnDfOrD04", "abcdefgh", "A1234567890bcdef"])
def test_micc_accepts_latin_letters_and_digits_from_8_to_16(code: str) -> None:
    MICC.validate_user_code(code)


@pytest.mark.parametrize("code", ["court1", "x" * 17, "Brandförd04", "brand ford", "brand-ford04"])
def test_micc_refuses_bad_user_codes(code: str) -> None:
    with pytest.raises(ValidationError):
        MICC.validate_user_code(code)


@pytest.mark.parametrize("password", ["Lecture2026", "abc12345", "1234567a"])
def test_micc_accepts_a_combination_of_letters_and_digits(password: str) -> None:
    MICC.validate_password(password)


@pytest.mark.parametrize(
    "password", ["abcdefgh", "12345678", "abc1234", "a" * 16 + "1", "mot de passe1", "Montréal2026"]
)
def test_micc_refuses_other_passwords(password: str) -> None:
    with pytest.raises(ValidationError):
        MICC.validate_password(password)


def test_gckey_limits_digits_in_the_user_name() -> None:
    GCKEY.validate_user_code("employeur1234567")
    with pytest.raises(ValidationError):
        GCKEY.validate_user_code("emp12345678")


@pytest.mark.parametrize("password", ["Soleil2026x", "aB3defgh"])
def test_gckey_accepts_upper_lower_and_digit(password: str) -> None:
    GCKEY.validate_password(password, "employeurABC")


@pytest.mark.parametrize(
    "password", ["soleil2026", "SOLEIL2026", "SoleilSoleil", "Sol3", "Soleil2026Soleil2026"]
)
def test_gckey_refuses_missing_classes_and_lengths(password: str) -> None:
    with pytest.raises(ValidationError):
        GCKEY.validate_password(password, "employeurABC")


def test_gckey_refuses_three_characters_shared_with_the_user_name() -> None:
    with pytest.raises(ValidationError) as error:
        GCKEY.validate_password("Xemp9Zqrst", "employeurABC")
    assert "3 caractères consécutifs" in str(error.value)
    assert shares_consecutive("abcEMPz", "employeur", 3)
    assert not shares_consecutive("abXemXpz", "employeur", 3)


def test_modern_accepts_a_long_passphrase_with_spaces_and_accents() -> None:
    MODERN.validate_password("le grand érable rouge de Gaspé", "usager01")


@pytest.mark.parametrize("password", ["short phrase", "x" * 65, "1q2w3e4r5t6y7u8i9o0p"])
def test_modern_refuses_short_long_and_common(password: str) -> None:
    with pytest.raises(ValidationError):
        MODERN.validate_password(password, "usager01")


def test_modern_refuses_a_passphrase_containing_the_user_code() -> None:
    with pytest.raises(ValidationError):
        MODERN.validate_password("mon code est usager01 voilà", "usager01")


def test_policies_are_chosen_per_kind_of_account_in_settings(settings) -> None:
    from guichet.accounts.policies import policy_for

    assert policy_for("client").name == "micc"
    assert policy_for("employer").name == "gckey"
    settings.PASSWORD_POLICIES = {**settings.PASSWORD_POLICIES, "client": "modern"}
    assert policy_for("client").name == "modern"
