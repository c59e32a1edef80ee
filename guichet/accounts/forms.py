from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import SecurityQuestion, User
from .policies import policy_for

NO_PASTE_HINT = _("Vous ne pouvez pas utiliser la fonction copier-coller.")
QUESTION_CHOICES = [("", _("Sélectionner")), *SecurityQuestion.choices]


def no_paste(widget: forms.Widget) -> forms.Widget:
    """Confirmation fields refuse paste (seed 000 §3.3); guichet.js enforces it when it runs."""
    widget.attrs["data-no-paste"] = "true"
    return widget


class LoginForm(AuthenticationForm):
    """« S'authentifier » (seed 000 §4.1): code d'utilisateur + mot de passe."""

    username = forms.CharField(
        label=_("Code d'utilisateur"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Le code d'utilisateur ou le mot de passe est invalide. Vérifiez-les et "
            "essayez de nouveau."
        ),
        "inactive": _("Ce compte est désactivé."),
    }


class ProfileCredentialsForm(forms.Form):
    """« Créer son profil de consultation », sous-étape 1 de 2."""

    user_code = forms.CharField(
        label=_("Code d'utilisateur"),
        max_length=16,
        help_text=_(
            "De 8 à 16 caractères : chiffres et lettres de l'alphabet latin, minuscules ou "
            "majuscules, sans accents ni caractères spéciaux."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    user_code_confirm = forms.CharField(
        label=_("Confirmez votre code d'utilisateur"),
        max_length=16,
        help_text=NO_PASTE_HINT,
        widget=no_paste(forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"})),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Confirmez votre mot de passe"),
        strip=False,
        help_text=NO_PASTE_HINT,
        widget=no_paste(forms.PasswordInput(attrs={"autocomplete": "new-password"})),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy_for("client")
        self.fields["password"].help_text = self.policy.help_text()

    # Set when the answer says the user code is taken (counted per address by the view).
    revealed_existing = False

    def clean_user_code(self) -> str:
        code: str = self.cleaned_data["user_code"].strip()
        self.policy.validate_user_code(code)
        if services.user_code_exists(code):
            self.revealed_existing = True  # counted per address (guichet.accounts.throttle)
            raise ValidationError(
                _("Ce code d'utilisateur est déjà utilisé. Choisissez-en un autre.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, code_confirm = data.get("user_code"), data.get("user_code_confirm")
        if code and code_confirm and code_confirm.strip() != code:
            self.add_error(
                "user_code_confirm", _("Les deux codes d'utilisateur ne sont pas identiques.")
            )
        password = data.get("password")
        if password:
            try:
                self.policy.validate_password(password, code or "")
            except ValidationError as error:
                self.add_error("password", error)
            if data.get("password_confirm") and data.get("password_confirm") != password:
                self.add_error(
                    "password_confirm", _("Les deux mots de passe ne sont pas identiques.")
                )
        return data


class SecurityQuestionsMixin(forms.Form):
    question_1 = forms.ChoiceField(label=_("Question 1"), choices=QUESTION_CHOICES)
    answer_1 = forms.CharField(label=_("Réponse 1"), max_length=100, strip=False)
    question_2 = forms.ChoiceField(label=_("Question 2"), choices=QUESTION_CHOICES)
    answer_2 = forms.CharField(label=_("Réponse 2"), max_length=100, strip=False)

    def clean_questions(self, data: dict[str, Any]) -> None:
        if data.get("question_1") and data.get("question_1") == data.get("question_2"):
            self.add_error("question_2", _("Choisissez deux questions différentes."))

    def answers(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data["question_1"], data["answer_1"]), (data["question_2"], data["answer_2"])]


class EmailConfirmMixin(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    email_confirm = forms.EmailField(
        label=_("Confirmez votre adresse électronique"),
        help_text=NO_PASTE_HINT,
        widget=no_paste(forms.EmailInput(attrs={"autocomplete": "off"})),
    )

    def clean_email_pair(self, data: dict[str, Any]) -> None:
        email, confirm = data.get("email"), data.get("email_confirm")
        if email and confirm and confirm.lower() != email.lower():
            self.add_error(
                "email_confirm", _("Les deux adresses électroniques ne sont pas identiques.")
            )


ANSWER_HINT = _(
    "Si vous oubliez votre mot de passe, vous pourrez vous authentifier au moyen de l'une ou "
    "l'autre de ces réponses, en l'écrivant de façon identique (majuscules, espaces, etc.)."
)


class ProfileSecurityForm(EmailConfirmMixin, SecurityQuestionsMixin):
    """« Créer son profil de consultation », sous-étape 2 de 2."""

    field_order = ["email", "email_confirm", "question_1", "answer_1", "question_2", "answer_2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer_1"].help_text = ANSWER_HINT

    revealed_existing = False  # set when the answer says the address is taken

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if services.email_exists(email):
            self.revealed_existing = True
            raise ValidationError(
                _("Un profil de consultation existe déjà pour cette adresse électronique.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_email_pair(data)
        self.clean_questions(data)
        return data


class ProfileUpdateForm(EmailConfirmMixin, SecurityQuestionsMixin):
    """« Modifier votre profil de consultation » (seed 000 §6.2)."""

    field_order = ["email", "email_confirm", "question_1", "answer_1", "question_2", "answer_2"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        current = {a.position: a.question for a in user.security_answers.all()}
        kwargs.setdefault(
            "initial",
            {
                "email": user.email,
                "email_confirm": user.email,
                "question_1": current.get(1, ""),
                "question_2": current.get(2, ""),
            },
        )
        super().__init__(*args, **kwargs)
        self.current = current
        for name in ("answer_1", "answer_2"):
            self.fields[name].required = False
            self.fields[name].help_text = _(
                "Laissez vide pour conserver votre réponse actuelle à la même question."
            )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if services.email_exists(email, exclude=self.user):
            raise ValidationError(
                _("Un profil de consultation existe déjà pour cette adresse électronique.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_email_pair(data)
        self.clean_questions(data)
        for position in (1, 2):
            question = data.get(f"question_{position}")
            if (
                question
                and not data.get(f"answer_{position}")
                and self.current.get(position) != question
            ):
                self.add_error(f"answer_{position}", _("Répondez à la nouvelle question."))
        return data

    def answers_or_keep(self) -> list[tuple[str, str | None]]:
        data = self.cleaned_data
        return [
            (data["question_1"], data.get("answer_1") or None),
            (data["question_2"], data.get("answer_2") or None),
        ]


class ForgotPasswordForm(forms.Form):
    """« Demander un nouveau mot de passe » (seed 000 §4.3)."""

    user_code = forms.CharField(label=_("Code d'utilisateur"), max_length=16)
    email = forms.EmailField(label=_("Adresse électronique"))


class SecurityAnswerForm(forms.Form):
    """« Mot de passe oublié », second screen: the answer to one security question, written
    exactly as when it was chosen (seed 000 §3.3)."""

    answer = forms.CharField(label=_("Réponse"), max_length=100, strip=False)

    def __init__(self, *args: Any, question: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = SecurityQuestion(question).label
        self.fields["answer"].help_text = _(
            "Écrivez la réponse de façon identique (majuscules, espaces, etc.)."
        )


class NewPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_confirm = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        help_text=NO_PASTE_HINT,
        widget=no_paste(forms.PasswordInput(attrs={"autocomplete": "new-password"})),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.policy = policy_for(user.credential_kind)
        self.fields["new_password"].help_text = self.policy.help_text()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("new_password")
        if password:
            try:
                self.policy.validate_password(password, self.user.username)
            except ValidationError as error:
                self.add_error("new_password", error)
            if data.get("new_password_confirm") and data.get("new_password_confirm") != password:
                self.add_error(
                    "new_password_confirm", _("Les deux mots de passe ne sont pas identiques.")
                )
        return data


class PasswordChangeForm(NewPasswordForm):
    """« Modifier votre mot de passe » (seed 000 §6.4): ancien, nouveau, confirmation."""

    old_password = forms.CharField(
        label=_("Ancien mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password", "new_password_confirm"]

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError(_("L'ancien mot de passe est inexact."))
        return old


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=20,
        help_text=_(
            "Le code à 6 chiffres affiché par votre application d'authentification, ou l'un de "
            "vos codes de récupération."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TwoFactorDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Le mot de passe est inexact."))
        return password
