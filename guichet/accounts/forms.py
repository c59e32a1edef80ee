from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
