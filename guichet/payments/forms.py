from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Method


class PayForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Méthode de paiement"),
        choices=[(Method.CARD, _("En ligne")), (Method.MAIL, _("Par la poste"))],
        widget=forms.RadioSelect,
        initial=Method.CARD,
        help_text=_("Veuillez choisir un mode de paiement."),
    )
