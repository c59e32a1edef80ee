"""« Ville »: a text field with the list of Québec localities to pick from (a native `datalist`,
so it works without JavaScript). What is typed is matched ignoring case and accents (« perce »
finds « Percé »); a homonym needs its region (« Saint-Isidore (Montérégie) »)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.core.params import parse_id
from guichet.core.search import filter_folded

from .models import Locality

WITH_REGION = re.compile(r"^(?P<name>.+?)\s*\((?P<region>[^()]+)\)$")


class LocalityInput(forms.TextInput):
    template_name = "clients/widgets/locality.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.queryset: QuerySet[Locality] = Locality.objects.all()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-localites"
        widget["attrs"]["list"] = list_id
        widget["list_id"] = list_id
        widget["labels"] = [str(loc) for loc in self.queryset.only("name", "region")]
        return context


def resolve(text: str, queryset: QuerySet[Locality] | None = None) -> list[Locality]:
    """The localities `text` names: its id (forms sent by an earlier page), or its name, with
    the region after it in brackets for a homonym; case and accents do not matter."""
    found = Locality.objects.all() if queryset is None else queryset
    text = " ".join(str(text or "").split())
    if not text:
        return []
    if (pk := parse_id(text)) is not None:
        return list(found.filter(pk=pk))
    match = WITH_REGION.match(text)
    if match:
        named = filter_folded(found, "name", match["name"])
        in_region = list(filter_folded(named, "region", match["region"]))
        if in_region:
            return in_region
    return list(filter_folded(found, "name", text))


class LocalityField(forms.Field):
    widget = LocalityInput
    default_error_messages = {
        "unknown": _(
            "« %(value)s » ne figure pas dans la liste des localités du Québec. Vérifiez "
            "l'orthographe ou choisissez une ville de la liste."
        ),
        "ambiguous": _("Plusieurs localités portent ce nom. Précisez la région : %(choices)s."),
    }

    def __init__(self, *, queryset: QuerySet[Locality] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queryset = Locality.objects.all() if queryset is None else queryset
        assert isinstance(self.widget, LocalityInput)
        self.widget.queryset = self.queryset

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Locality):
            return str(value)
        pk = value if isinstance(value, int) else parse_id(value)
        if pk is not None:
            found = self.queryset.filter(pk=pk).first()
            return str(found) if found else value
        return value

    def to_python(self, value: Any) -> Locality | None:
        if isinstance(value, Locality):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        found = resolve(text, self.queryset)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"choices": ", ".join(f"« {loc} »" for loc in found)},
        )
