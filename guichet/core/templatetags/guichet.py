from __future__ import annotations

from typing import Any

from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.urls import translate_url
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info

from guichet.core.money import format_cents

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, **given: Any) -> SafeString:
    """What the apps above this page show in its `slot` (`core.panels`)."""
    from guichet.core import panels as registry

    return registry.render(slot, context, **given)


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, str]]:
    """The same page in each other language (keeps the path and the query string)."""
    request = context.get("request")
    current = get_language()
    path = request.get_full_path() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        info = get_language_info(code)
        links.append({"code": code, "name": info["name_local"], "url": translate_url(path, code)})
    return links


def hint_id(field: BoundField) -> str:
    return f"{field.auto_id}-hint"


def error_id(field: BoundField) -> str:
    return f"{field.auto_id}-error"


@register.filter
def accessible_widget(field: BoundField) -> SafeString:
    """Render a field's widget tied to its hint and error text with aria-describedby."""
    described = []
    if field.help_text:
        described.append(hint_id(field))
    if field.errors:
        described.append(error_id(field))
    attrs: dict[str, Any] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def field_hint_id(field: BoundField) -> str:
    return hint_id(field)


@register.filter
def field_error_id(field: BoundField) -> str:
    return error_id(field)


@register.filter
def is_choice_group(field: BoundField) -> bool:
    """Radio and checkbox lists are a group: a fieldset with a legend, not a label."""
    widget = field.field.widget
    return getattr(widget, "allow_multiple_selected", False) or isinstance(
        widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    )


@register.filter
def summary_anchor(field: BoundField) -> str:
    """The id an error summary's link goes to: the field, or the first choice of a group."""
    return f"{field.auto_id}_0" if is_choice_group(field) else str(field.auto_id)


@register.filter
def bare_label(label: object) -> str:
    """A label without its closing colon (« Créez votre nom d'utilisateur : »), to be followed
    by one of the summary's own."""
    return str(label).rstrip().rstrip(":").rstrip(" \u00a0\u202f")


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return field.widget_type == "checkbox"


@register.filter
def error_count(form: Any) -> int:
    """Every error of a form, fields and non-field errors together (for the error summary)."""
    return sum(len(errors) for errors in form.errors.values())


@register.filter
def cents(value: Any, currency: str = "CAD") -> str:
    """An amount in integer cents, in the page's language (230,00 $ / $230.00)."""
    return format_cents(int(value), currency)
