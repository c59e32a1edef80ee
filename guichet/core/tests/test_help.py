"""« Aide » on every screen, leading to the help of its journey; « Spécifications techniques
d'utilisation » and « Prendre un rendez-vous » from the home page (issue 13 #15)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from guichet.core.help import TOPICS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_home_page_offers_the_seeds_entries(client: Client, language: str) -> None:
    with translation.override(language):
        html = client.get(reverse("core:home")).content.decode()
        # « Prendre un rendez-vous » → « S'authentifier » → « Sélectionner un rendez-vous »
        # (seed 000 §5.1, scénario 2): the list of one's appointments, with its button.
        for name in ["appointments:mine", "core:technical_requirements", "core:help_index"]:
            assert f'href="{reverse(name)}"' in html, name
        sent = client.get(reverse("appointments:mine"))
        assert (
            sent["Location"] == f"{reverse('accounts:login')}?next={reverse('appointments:mine')}"
        )
    words = ["Prendre un rendez-vous", "Spécifications techniques d'utilisation", "Aide"]
    if language == "en":
        words = ["Book an appointment", "Technical requirements", "Help"]
    for word in words:
        assert word in html


def test_each_screen_links_its_journeys_help(client: Client) -> None:
    html = client.get(reverse("appointments:catalogue")).content.decode()
    assert f'href="{reverse("core:help", kwargs={"topic": "rendez-vous"})}">Aide<' in html
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("core:help", kwargs={"topic": "profil"})}">Aide<' in html
    html = client.get(reverse("core:privacy")).content.decode()
    assert f'href="{reverse("core:help_index")}">Aide<' in html


@pytest.mark.parametrize("topic", list(TOPICS))
def test_every_help_page_exists_in_both_languages(client: Client, topic: str) -> None:
    for language in ["fr", "en"]:
        with translation.override(language):
            response = client.get(reverse("core:help", kwargs={"topic": topic}))
            title = escape(str(TOPICS[topic]))
        assert response.status_code == 200
        assert f"<h1>{title}</h1>" in response.content.decode()
    assert client.get(reverse("core:help", kwargs={"topic": "inconnu"})).status_code == 404


def test_the_technical_requirements_list_the_seeds_preparations(client: Client) -> None:
    html = client.get(reverse("core:technical_requirements")).content.decode()
    assert "adresse de courrier électronique (courriel) valide" in html
    assert "numéro de référence individuel" in html and "code d'autorisation" in html
