"""Every page the e2e sweeps know: public pages found by walking the URLconf, plus pages that
need a signed-in user, a form in error, or DEBUG. New public pages join the sweep by
themselves; pages that need arguments or a user are added to EXTRA_PAGES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import get_resolver, reverse
from django.utils import translation

from guichet.accounts.access import is_self_guarded, policy_of
from guichet.accounts.models import Role
from guichet.accounts.tests.routes import walk

LANGUAGES = ["fr", "en"]


@dataclass(frozen=True)
class PageSpec:
    key: str
    url_name: str
    role: Role | None = None
    debug: bool = False
    kwargs: Callable[[], dict[str, Any]] | None = None
    post: dict[str, str] | None = None  # submit this form data and check the result page
    expected_status: int = 200
    raw_path: dict[str, str] = field(default_factory=dict)  # language -> path, for non-routes

    def url(self, language: str) -> str:
        if self.raw_path:
            return self.raw_path[language]
        with translation.override(language):
            return reverse(self.url_name, kwargs=self.kwargs() if self.kwargs else None)


def public_routes() -> list[PageSpec]:
    specs = []
    for route in walk(get_resolver().url_patterns):
        policy = policy_of(route.view)
        if is_self_guarded(route.view) or policy is None or not policy.public or route.kwargs:
            continue
        if route.name == "healthz":  # JSON, not a page
            continue
        specs.append(PageSpec(key=route.name, url_name=route.name, debug=policy.debug_only))
    return specs


def _latest_mail() -> dict[str, Any]:
    from guichet.core.mail import stored_mails

    return {"name": stored_mails()[0].name}


EXTRA_PAGES = [
    PageSpec(
        key="accounts:login (erreurs)",
        url_name="accounts:login",
        post={"username": "inconnu01", "password": "mauvais"},
    ),
    PageSpec(key="accounts:logout (client)", url_name="accounts:logout", role=Role.CLIENT),
    PageSpec(key="core:home (client)", url_name="core:home", role=Role.CLIENT),
    PageSpec(key="core:dev_mail", url_name="core:dev_mail", debug=True, kwargs=_latest_mail),
    PageSpec(
        key="404",
        url_name="",
        expected_status=404,
        raw_path={"fr": "/fr/nexiste-pas/", "en": "/en/does-not-exist/"},
    ),
]


def all_pages() -> list[PageSpec]:
    return public_routes() + EXTRA_PAGES
