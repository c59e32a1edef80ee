"""`{% answered_surveys "appointment" as answered %}`: the ids of the appointments (or
dossiers) the signed-in person has answered the satisfaction survey about, in one query, so
that « Donner mon avis » is offered only once."""

from __future__ import annotations

from typing import Any

from django import template

from guichet.complaints import survey

register = template.Library()


@register.simple_tag(takes_context=True)
def answered_surveys(context: dict[str, Any], subject: str) -> set[int]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return set()
    return survey.answered(user, subject)
