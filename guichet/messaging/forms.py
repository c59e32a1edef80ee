from django import forms
from django.utils.translation import gettext_lazy as _


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Écrivez votre message avant de l'envoyer.")},
    )
