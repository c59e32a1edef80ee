"""Forms of the payments pages (ministry staff with the payments role)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateField, not_in_future
from guichet.payments.models import MailMethod


class PaymentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Numéro de reçu, référence, code d'utilisateur ou courriel du payeur"),
        max_length=254,
    )


# Western digits only: Python's Decimal reads Arabic-Indic « \u0661\u0660 » as 10.
TYPED_AMOUNT = re.compile(r"[0-9 \u00a0\u202f]*([.,][0-9]*)?", re.ASCII)


class AmountField(forms.DecimalField):
    """Dollars and cents as typed (230,00 or 230.00), kept as integer cents."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            min_value=Decimal("0.01"),
            max_digits=9,
            decimal_places=2,
            localize=True,
            error_messages={
                "invalid": _("Saisissez un montant en dollars, par exemple 230,00."),
                "min_value": _("Le montant doit être d'au moins 0,01 $."),
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str) and not TYPED_AMOUNT.fullmatch(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, str):
            value = re.sub(r"[ \u00a0\u202f]", "", value)
        return super().to_python(value)

    def clean(self, value: Any) -> int:
        amount = super().clean(value)
        return int(amount * 100)


class EnvelopeForm(forms.Form):
    method = forms.ChoiceField(label=_("Mode de paiement"), choices=MailMethod.choices)
    amount = AmountField(label=_("Montant reçu ($)"))
    received_on = DateField(label=_("Date de réception"), validators=[not_in_future])


class RefundForm(forms.Form):
    amount = AmountField(label=_("Montant à rembourser ($)"))
    reason = forms.CharField(label=_("Motif"), max_length=200)


class ReportForm(forms.Form):
    day = DateField(label=_("Date"), required=False)
