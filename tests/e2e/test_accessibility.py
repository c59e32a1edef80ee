"""Every known page, in French and in English: no axe-core violation (WCAG 2.2 AA), no
horizontal scrolling at 360 px, and no error from the Nu HTML validator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMessage, get_connection
from django.test import Client

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory

from .pages import LANGUAGES, PageSpec, all_pages, resolve, route_url

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = all_pages()
AXE = Axe()


def prepare(spec: PageSpec, settings: Any, tmp_path: Path) -> Client:
    """DEBUG, a stored email, and a signed-in Django client as the page needs."""
    # Only when it changes: each assignment stacks a settings layer for the rest of the test,
    # and the validity test prepares every page in one test (hundreds of layers overflow).
    if spec.debug != settings.DEBUG:
        settings.DEBUG = spec.debug
    if getattr(settings, "MAIL_DIR", None) != tmp_path / "mail":
        settings.MAIL_DIR = tmp_path / "mail"
    connection = get_connection("guichet.core.mail.MailDirBackend")
    EmailMessage(
        "Créez votre profil de consultation", "Bonjour", to=["a@example.org"], connection=connection
    ).send()
    client = Client()
    user = UserFactory.create(role=spec.role) if spec.role is not None else None
    if spec.setup is not None:
        spec.setup(user)
    if user is not None:
        client.force_login(user)
    return client


def test_the_sweep_knows_the_pages_of_the_foundation() -> None:
    keys = {spec.key for spec in PAGES}
    assert {"core:home", "core:privacy", "core:contact", "accounts:login", "404"} <= keys


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_page_has_no_accessibility_violation(
    spec: PageSpec,
    language: str,
    shared_live_server: Any,
    sweep_page: Any,
    html_validator: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    server = shared_live_server
    with server.lock:
        client = prepare(spec, settings, tmp_path)
        url = spec.url(language)
    page = sweep_page
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    session_cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    if session_cookie is not None:
        page.context.add_cookies(
            [{"name": session_cookie.key, "value": session_cookie.value, "url": server.url}]
        )
    for name, data in spec.before:
        page.goto(server.url + route_url(name, language))
        fields = {k: v for k, v in data.items() if k != "action"}
        submit(page, fields, action=data.get("action", "next"))
    response = page.goto(server.url + url)
    if spec.post is not None:
        response = submit(page, spec.post, action=spec.action)
    assert response is not None and response.status == spec.expected_status
    assert page.locator("html").get_attribute("lang") == language
    # Valid HTML, as the browser received it (Nu validator).
    invalid = html_validator.errors(response.body())
    assert invalid == [], "\n".join(invalid)

    # Every link of an error summary lands on its field (a group's first choice) — issue 31.15.
    for target in page.eval_on_selector_all(
        ".error-summary a[href*='#']", "links => links.map(a => a.href)"
    ):
        address, _, anchor = target.partition("#")
        if address.split("#")[0] == page.url.split("#")[0]:
            found = page.evaluate("id => document.getElementById(id) !== null", anchor)
        else:
            other = page.context.request.get(address)
            found = f'id="{anchor}"' in other.text()
        assert found, f"the error summary links to #{anchor}, which {address} does not have"
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        results = axe_check(page)
        assert results.violations_count == 0, f"{width}px\n" + results.generate_report()
    # Usable at 360 px: nothing forces sideways scrolling of the whole page (WCAG 1.4.10), and
    # no element is wider than the screen, even inside a box that scrolls (tables reflow).
    too_wide = page.evaluate(WIDER_THAN_VIEWPORT)
    assert not too_wide, f"wider than 360 px: {too_wide}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture(scope="module")
def sweep_page(browser: Any) -> Iterator[Any]:
    """One tab for the whole sweep: a new context per page would start a new renderer process
    each time. Cookies are cleared before each page; nothing else is kept between pages (the
    pages store nothing in the browser)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def axe_check(page: Any) -> AxeResults:
    """axe-core on the page as it is now, WCAG 2.2 AA and best practices, violations only (the
    passes are not collected: that halves the time on long forms). The script is injected once
    per document, then run as often as the page changes (width, state)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return AxeResults(page.evaluate("options => axe.run(document, options)", options))


# Visible elements whose box goes past the viewport's right edge (visually hidden text, made
# 1 px wide and clipped, is not seen and does not count).
WIDER_THAN_VIEWPORT = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    if (box.right > limit || box.left < -1) {
      const name = el.className ? "." + String(el.className).trim().replace(/\\s+/g, ".") : "";
      found.push(el.tagName.toLowerCase() + name + " " + Math.round(box.left) + "-"
        + Math.round(box.right));
    }
  }
  return found.slice(0, 10);
}"""


def submit(page: Any, data: dict[str, Any], *, action: str = "next") -> Any:
    """Fill the main form as a person would and submit it; return the response. The form is
    the one holding the first field named in `data` (a page may have a search form first); the
    button clicked is the one whose value is `action`, or the form's first."""
    values = resolve(data)
    first = next(iter(values), None)
    form = page.locator(f"main form:has([name={first}])" if first else "main form").first
    for name, value in values.items():
        field = page.locator(f"main form [name={name}]").first
        tag = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if tag.startswith("select"):
            field.select_option(value)
        elif tag.endswith(":radio"):
            page.locator(f"main form [name={name}][value='{value}']").check()
        elif tag.endswith(":checkbox"):
            field.set_checked(bool(value))
        else:
            field.fill(value)
    button = form.locator(f"[type=submit][value='{action}']")
    if not button.count():
        button = form.locator("[type=submit]")
    with page.expect_navigation() as navigation:
        button.first.click()
    return navigation.value


def test_the_validator_reports_invalid_html(html_validator: Any) -> None:
    broken = b"<!DOCTYPE html><html lang=fr><title>x</title><p><div></span>"
    assert html_validator.errors(broken) != []


def test_axe_reports_violations(page: Any) -> None:
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    results = axe_check(page)
    assert results.violations_count >= 2


def test_the_error_pages_no_route_reaches_are_valid_html(html_validator: Any) -> None:
    from django.test import RequestFactory
    from django.utils import translation

    from guichet.core.views import error_403, error_500

    for language in LANGUAGES:
        with translation.override(language):
            request = RequestFactory().get(f"/{language}/")
            request.user = AnonymousUser()
            for label, error_page in (("403", error_403(request)), ("500", error_500(request))):
                invalid = html_validator.errors(error_page.content)
                assert invalid == [], f"{label} [{language}]: " + "\n".join(invalid)


@pytest.mark.django_db(transaction=True)
def test_login_works_without_javascript(browser: Any, live_server: Any) -> None:
    UserFactory.create(username="SansScript1", role=Role.CLIENT)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/fr/connexion/")
    page.fill("[name=username]", "SansScript1")
    page.fill("[name=password]", "mauvais")
    page.locator("main form [type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("[name=username]").input_value() == "SansScript1"
    from guichet.accounts.tests.factories import PASSWORD

    page.fill("[name=password]", PASSWORD)
    page.locator("main form [type=submit]").click()
    assert page.url == live_server.url + "/fr/"
    assert page.get_by_text("SansScript1").is_visible()
    context.close()
