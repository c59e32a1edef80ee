"""Panels: a lower app's page offers named slots (`{% panels "dossier.notices" dossier=dossier %}`);
higher apps register what shows there (issue 32), like the kinds and payment purposes
registries. The page knows no app above it; the panel's app computes its own context.

    panels.register("dossier.notices", "commitments/_due.html", due_of_dossier)

A panel's `context(page, **given)` returns the context of its template, or None to show
nothing. `page` is the page's template context: `page.render_context` keeps what a panel
computes once for a whole page (one query for every row of a list), and `page.get("request")`
is the request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext
    order: int = 0


_slots: dict[str, list[Panel]] = defaultdict(list)


def register(slot: str, template: str, context: PanelContext, *, order: int = 0) -> None:
    """Show `template` in `slot` wherever `context(page, **given)` gives it a context."""
    panel = Panel(template, context, order)
    if panel not in _slots[slot]:
        _slots[slot].append(panel)
        _slots[slot].sort(key=lambda p: p.order)


def render(slot: str, page: Context, **given: Any) -> SafeString:
    """Every panel registered for `slot` that has something to show, in order."""
    request = page.get("request")
    parts = []
    for panel in _slots.get(slot, ()):
        extra = panel.context(page, **given)
        if extra is None:
            continue
        parts.append(render_to_string(panel.template, {**given, **extra}, request=request))
    # Each part is a rendered template (safe); joined without escaping them again.
    return format_html_join("", "{}", ((part,) for part in parts))
