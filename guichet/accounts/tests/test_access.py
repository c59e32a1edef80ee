"""Deny by default: every URL is walked anonymously and as each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import get_resolver, path, reverse

from guichet.accounts.models import Duty, Role, User
from guichet.accounts.tests.routes import Route, walk
from guichet.core.access import is_self_guarded, policy_of, public

ROUTES = list(walk(get_resolver().url_patterns))
# Pages without an id that an allowed role finds absent until something exists (the walk's
# users have none of it): the waiting room of an opening, the CSQ application to submit or
# modify. Anything else answering 404 to an allowed role is a wrong check.
MAY_NOT_EXIST: frozenset[str] = frozenset(
    {"waitingroom:room", "intake:submit", "intake:modification"}
)
OWN_ROUTES = [r for r in ROUTES if not is_self_guarded(r.view)]
ADMIN_ROUTES = [r for r in ROUTES if is_self_guarded(r.view)]


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = [r.name for r in OWN_ROUTES if policy_of(r.view) is None]
    assert undeclared == []
    assert len(OWN_ROUTES) >= 10


@pytest.mark.django_db
@pytest.mark.parametrize("route", OWN_ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_reach_only_public_pages(client: Client, route: Route) -> None:
    policy = policy_of(route.view)
    assert policy is not None
    response = client.get(route.url())
    posted = client.post(route.url(), {})
    # The employer portal's pages send to its own sign-in (CléGC); every other, the clients'.
    sign_in = reverse(
        "employers:login" if policy.roles == frozenset({Role.EMPLOYER}) else "accounts:login"
    )
    if not policy.public:  # a POST is refused the same way, before the view runs
        assert posted.status_code == 302
        assert posted["Location"].startswith(sign_in)
    if policy.machine:
        # Another system's endpoint: without its key or signature, never a 200.
        assert response.status_code in {400, 401, 404, 405}, response.status_code
        assert posted.status_code in {400, 401, 404, 405}, posted.status_code
    elif policy.public:
        # Public pages answer, or send a visitor to the start of a journey, never to the login.
        assert response.status_code in {200, 302, 404, 405}, response.status_code
        if response.status_code == 302:  # never the "log in first" redirect of protected pages
            assert "next=" not in response["Location"]
        if policy.debug_only:
            assert response.status_code == 404  # DEBUG is off under test
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(sign_in)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route", OWN_ROUTES, ids=lambda r: r.name)
def test_each_role_reaches_only_what_it_is_allowed(
    client: Client, users: dict[Role, Any], route: Route, role: Role
) -> None:
    policy = policy_of(route.view)
    assert policy is not None
    user = users[role]
    client.force_login(user)
    for response in (client.get(route.url()), client.post(route.url(), {})):
        if policy.machine:  # a person's session is no key: refused by the view itself
            assert response.status_code in {400, 401, 404, 405}
        elif policy.allows_role(role) and policy.duty and not user.has_duty(policy.duty):
            assert response.status_code == 404  # a duty's page does not exist for others
        elif policy.allows_role(role):
            assert response.status_code not in {401, 403, 500}
            if not (route.kwargs or policy.public or route.name in MAY_NOT_EXIST):
                # Issue 32: an allowed role's 404 is a wrong check, not a missing object.
                assert response.status_code != 404, response.status_code
        else:
            assert response.status_code in {403, 404}


DUTY_ROUTES = [r for r in OWN_ROUTES if (p := policy_of(r.view)) is not None and p.duty]


@pytest.mark.django_db
@pytest.mark.parametrize("route", DUTY_ROUTES, ids=lambda r: r.name)
def test_ministry_staff_holding_the_duty_reach_its_pages(
    client: Client, users: dict[Role, Any], route: Route
) -> None:
    """The duty declared by the view opens it (and only it: the walk above answers 404 to
    the same staff without the duty)."""
    policy = policy_of(route.view)
    assert policy is not None
    officer = users[Role.MINISTRY_STAFF]
    User.objects.filter(pk=officer.pk).update(**{policy.duty: True})
    client.force_login(officer)
    response = client.get(route.url())
    assert response.status_code not in {401, 403, 500}
    if not route.kwargs:
        assert response.status_code == 200


def test_the_duties_are_declared_by_views() -> None:
    assert {policy_of(r.view).duty for r in DUTY_ROUTES} == {d.value for d in Duty}  # type: ignore[union-attr]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_reach_the_django_admin(
    client: Client, users: dict[Role, Any], role: Role
) -> None:
    assert ADMIN_ROUTES, "the admin is mounted"
    client.force_login(users[role])
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == (200 if role == Role.ADMIN else 403)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_guichet_login(client: Client) -> None:
    response = client.get(reverse("admin:audit_auditevent_changelist"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200
    assert "authentifier</h1>" in response.content.decode()


# A view nobody declared: the middleware must refuse it.
def undeclared_view(request: Any) -> HttpResponse:
    return HttpResponse("secret")


@public
def declared_view(request: Any) -> HttpResponse:
    return HttpResponse("public")


urlpatterns = [
    path("undeclared/", undeclared_view, name="undeclared"),
    path("declared/", declared_view, name="declared"),
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_declaration_is_refused(client: Client, users: dict[Role, Any]) -> None:
    assert client.get("/undeclared/").status_code == 403
    client.force_login(users[Role.ADMIN])
    assert client.get("/undeclared/").status_code == 403
    assert client.get("/declared/").status_code == 200
