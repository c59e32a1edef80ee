"""Security finding 8: malformed input never makes a server error.

Every URL is walked anonymously and as each role, on the demo data (so that object ids are real
ones: the role's own and other people's). Every page that answers gets each malformed value in
every field of each of its forms (GET and POST) and in every query parameter those forms and the
pages use, and then a request whose query string and body are not UTF-8. No answer may be 5xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, get_resolver

from guichet.accounts.models import Role, User
from guichet.accounts.tests.routes import Route, walk
from guichet.core.access import is_self_guarded

pytestmark = pytest.mark.django_db

MALFORMED = [
    "abc",  # a word where a number or a date is expected
    "-1",
    "99999999999999999999999999",  # no integer column holds it
    "9999-12-31",
    "0001-01-01",
    "",
    "x" * 5000,
    "²³",  # Unicode digits: str.isdigit() is true, int() fails
    "a\x00b",  # PostgreSQL refuses NUL in text and JSONB (SQLite stores it)
]
# Query parameters the pages read, besides the fields of their forms.
QUERY_NAMES = [
    "page",
    "organisme",
    "type",
    "ville",
    "etape",
    "next",
    "rechercher",
    "seance",
    "travailleur",
    "numero",
    "tri",
    "afficher",
]
# Routes that end the session or only serve the admin (walked by the admin tests).
SKIPPED = {"accounts:logout", "accounts:session_expired", "core:set_language"}

DEMO_ACCOUNTS = {
    Role.CLIENT: "BrAnDfOrD04",
    Role.EMPLOYER: "demoEmploy1",
    Role.PARTNER_STAFF: "demoPartner1",
    Role.MINISTRY_STAFF: "demoAgent001",
    Role.ADMIN: "demoAdmin001",
}


class Forms(HTMLParser):
    """The forms of a page: method, action and field names."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (values.get("method") or "get").lower(),
                    "action": values.get("action") or "",
                    "fields": set(),
                }
            )
        elif tag in {"input", "select", "textarea", "button"} and self.forms:
            name = values.get("name")
            if name and name != "csrfmiddlewaretoken":
                self.forms[-1]["fields"].add(name)


def _ids() -> dict[str, list[Any]]:
    """Real ids for each URL argument, from the demo data."""
    from guichet.appointments.models import Booking, Place, Session, WaitlistEntry
    from guichet.clients.models import Client as ClientFile
    from guichet.documents.models import Document
    from guichet.dossiers.models import AgentAppointment, Dossier, PlanAction
    from guichet.messaging.models import Thread

    def first(model: Any) -> list[Any]:
        return list(model.objects.order_by("pk").values_list("pk", flat=True)[:1]) or [999999]

    return {
        "booking_id": first(Booking),
        "session_id": first(Session),
        "place_id": first(Place),
        "entry_id": first(WaitlistEntry),
        "client_id": first(ClientFile),
        "document_id": first(Document),
        "dossier_id": first(Dossier),
        "appointment_id": first(AgentAppointment),
        "action_id": first(PlanAction),
        "thread_id": first(Thread),
        "number": [2],
        "position": [1],
        "kind": ["accompagnement"],
        "key": ["identification"],
    }


def _routes(ids: dict[str, list[Any]]) -> Iterator[tuple[Route, str]]:
    for route in walk(get_resolver().url_patterns):
        if route.name in SKIPPED or is_self_guarded(route.view):
            continue
        kwargs = {k: ids.get(k, [v])[0] for k, v in route.kwargs.items()}
        yield route, Route(route.name, route.view, kwargs).url()


def _with_nul(route: Route, ids: dict[str, list[Any]]) -> str | None:
    """The route's URL with a NUL in each text argument (`/paiements/retour/%00/`), or None
    when it takes no text."""
    texts = [k for k, v in route.kwargs.items() if isinstance(v, str) and k not in ("kind",)]
    if not texts:
        return None
    kwargs = {k: ids.get(k, [v])[0] for k, v in route.kwargs.items()}
    for name in texts:  # where the converter takes any text (not a slug)
        try:
            Route(route.name, route.view, {**kwargs, name: "\x00"}).url()
        except NoReverseMatch:
            continue
        kwargs[name] = "\x00"
    if "\x00" not in kwargs.values():
        return None
    return Route(route.name, route.view, kwargs).url()


def _no_server_error(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what} → {response.status_code}"


def _sweep(client: Client, url: str, login: Any) -> int:
    """Returns the number of requests sent."""
    sent = 0
    page = client.get(url)
    _no_server_error(page, f"GET {url}")
    sent += 1
    forms: list[dict[str, Any]] = []
    if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
        parser = Forms()
        parser.feed(page.content.decode())
        forms = parser.forms
    names = set(QUERY_NAMES)
    for form in forms:
        if form["method"] == "get":
            names |= form["fields"]
    for value in MALFORMED:
        response = client.get(url, {name: value for name in names})
        _no_server_error(response, f"GET {url} with {value[:20]!r}")
        sent += 1
        for form in forms:
            target = urljoin(url, form["action"]) if form["action"] else url
            if urlsplit(target).netloc:
                continue
            data = {name: value for name in form["fields"]}
            if form["method"] == "post":
                response = client.post(target, data)
                login()  # a form may have ended the session (a new password, 2FA off…)
            else:
                response = client.get(target, data)
            _no_server_error(response, f"{form['method'].upper()} {target} with {value[:20]!r}")
            sent += 1
    # Not UTF-8 at all, in the query string and in the body.
    raw = "&".join(f"{name}=%FF%FE%80" for name in sorted(names))
    _no_server_error(client.get(f"{url}?{raw}"), f"GET {url} non-UTF-8")
    for form in forms:
        if form["method"] == "post":
            target = urljoin(url, form["action"]) if form["action"] else url
            body = "&".join(f"{name}=%FF%FE%80" for name in sorted(form["fields"]))
            response = client.generic(
                "POST", target, body, content_type="application/x-www-form-urlencoded"
            )
            _no_server_error(response, f"POST {target} non-UTF-8")
            login()
    return sent + 1


@pytest.mark.parametrize("role", [None, *DEMO_ACCOUNTS], ids=lambda r: str(r or "anonymous"))
def test_malformed_values_in_every_field_and_parameter_make_no_server_error(
    settings: Any, role: Role | None
) -> None:
    settings.DEBUG = False
    call_command("load_demo", "--force", verbosity=0)
    client = Client(raise_request_exception=True)
    user = User.objects.get(username=DEMO_ACCOUNTS[role]) if role else None

    def login() -> None:
        if user is not None:
            client.force_login(user)

    login()
    ids = _ids()
    sent = 0
    for route, url in _routes(ids):
        sent += _sweep(client, url, login)
        nul = _with_nul(route, ids)
        if nul is not None:
            _no_server_error(client.get(nul), f"GET {nul}")
            _no_server_error(client.post(nul, {"x": "1"}), f"POST {nul}")
            login()
            sent += 2
    assert sent > 150
