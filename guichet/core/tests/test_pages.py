import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PAGES = [
    "core:home",
    "core:privacy",
    "core:security",
    "core:accessibility",
    "core:contact",
    "accounts:login",
]


def url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def test_the_root_sends_visitors_to_their_language(client: Client) -> None:
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA")["Location"] == "/fr/"
    assert client.get("/")["Location"] == "/fr/"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_has_the_layout_in_its_language(
    client: Client, name: str, language: str
) -> None:
    response = client.get(url(name, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert "<header" in html and "<nav" in html and "<main" in html and "<footer" in html
    for footer_page in ["core:privacy", "core:security", "core:accessibility", "core:contact"]:
        assert f'href="{url(footer_page, language)}"' in html
    other = "en" if language == "fr" else "fr"
    # The language switch leads to the same page in the other language.
    assert f'href="{url(name, other)}" hreflang="{other}"' in html


def test_the_language_switch_keeps_the_query_string(client: Client) -> None:
    html = client.get(url("accounts:login", "fr") + "?next=/fr/").content.decode()
    assert 'href="/en/login/?next=/fr/"' in html


def test_english_pages_are_in_english(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert "<h1>Online services</h1>" in html
    assert "Services en ligne</h1>" not in html


def test_the_home_page_links_only_to_pages_that_exist(client: Client) -> None:
    for language in ["fr", "en"]:
        html = client.get(f"/{language}/").content.decode()
        for href in set(re.findall(r'href="(/[^"#]*)"', html)):
            if href.startswith("/static/"):
                continue
            # « Prendre un rendez-vous » asks an anonymous visitor to sign in first (seed 000).
            response = client.get(href, follow=True)
            assert response.status_code == 200, href


def test_unknown_pages_get_the_guichet_404(client: Client) -> None:
    response = client.get("/fr/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "Page not found" in client.get("/en/does-not-exist/").content.decode()


def test_the_form_pattern_ties_hints_and_errors_to_their_fields(client: Client, settings) -> None:
    settings.DEBUG = True
    html = client.get(reverse("core:components")).content.decode()
    # Error summary at the top, linking to each field in error.
    assert 'class="error-summary"' in html
    assert 'href="#id_user_code"' in html and 'href="#id_accept"' in html
    # The user code field: hint then error, both referenced by the input.
    match = re.search(r"<input[^>]*id=\"id_user_code\"[^>]*>", html)
    assert match is not None
    tag = match.group(0)
    assert 'aria-describedby="id_user_code-hint id_user_code-error"' in tag
    assert 'aria-invalid="true"' in tag
    assert 'value="abc"' in tag  # what was typed is kept
    assert 'id="id_user_code-hint"' in html and 'id="id_user_code-error"' in html
    # Radio buttons are a fieldset with a legend.
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Comment avez-vous", html)
    # The required marker is explained once.
    assert html.count("sont obligatoires.") == 1


@pytest.mark.django_db
def test_no_page_or_export_may_be_stored_by_a_cache(client: Client) -> None:
    """Security finding 11: pages and exports with personal data had no Cache-Control."""
    from guichet.accounts.tests.factories import UserFactory

    assert "no-store" in client.get(reverse("core:home"))["Cache-Control"]
    client.force_login(UserFactory.create())
    for name in ("core:home", "accounts:profile_update"):
        response = client.get(reverse(name))
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_every_page_has_a_favicon(client: Client) -> None:
    """Issue 13 #18: no favicon."""
    html = client.get(reverse("core:home")).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html


def test_empty_choices_say_choisir_not_dashes() -> None:
    """Issue 13 #18: « --------- » as the empty choice in selects."""
    from django import forms

    class Form(forms.Form):
        pays = forms.ChoiceField(choices=[("", "---------"), ("CA", "Canada")])

    html = str(Form())
    assert "---------" not in html and ">Choisir…</option>" in html
