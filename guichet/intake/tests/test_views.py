"""The candidate's pages (issue 17 §1-3, 5): the sections and their rows without a script, the
visit's hour before an opening, « Prête à soumettre », the submission page and its refusals."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.tests.factories import PASSWORD
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.intake.models import Application

from .factories import ANSWERS, application, candidate, period

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_home_page_starts_one_application_per_account() -> None:
    period(opens_at=timezone.now() + timedelta(days=2), quota=5000)
    user = candidate()
    browser = _signed_in(user)
    page = browser.get(reverse("intake:home")).content.decode()
    assert "Commencer ma demande" in page and "5000 demandes" in page
    answer = browser.post(reverse("intake:start"))
    assert answer.status_code == 302
    assert Dossier.objects.filter(owner=user, kind="csq").count() == 1
    browser.post(reverse("intake:start"))
    assert Dossier.objects.filter(owner=user, kind="csq").count() == 1
    page = browser.get(reverse("intake:home")).content.decode()
    assert "Remplir ma demande" in page and "Sections complétées : 0 sur 11" in page


def test_children_are_added_typed_moved_and_removed_without_a_script() -> None:
    user = candidate()
    dossier = application(user, complete=False)
    browser = _signed_in(user)
    url = reverse("intake:section", kwargs={"section_key": "enfants"})
    answer = browser.post(
        url, {"has_children": "oui", "enfants-rows": "0", "action": "add:enfants"}
    )
    # Issue 31.18: back to the new row, its first field focused (no script needed).
    assert answer.status_code == 302 and answer["Location"].endswith("?ligne=enfants-0#enfants-0")
    page = browser.get(answer["Location"]).content.decode()
    assert 'name="enfants-0-first_name"' in page and "Enfant 1" in page
    first = re.search(r"<(input|select)[^>]*name=\"enfants-0-[^>]*>", page)
    assert first is not None and "autofocus" in first.group(0)  # the row's first field
    assert page.count("autofocus") == 1
    assert "autofocus" not in browser.get(url).content.decode()
    assert "Ajoutez au moins une ligne." not in page  # the row is there, still empty
    row = {"last_name": "Moreau", "sex": "F", "birth_date": "2016-09-03", "citizenship": "FR"}
    post = {"has_children": "oui", "enfants-rows": "2", "action": "save"}
    post |= {f"enfants-0-{k}": v for k, v in row.items()} | {"enfants-0-first_name": "Léa"}
    post |= {f"enfants-1-{k}": v for k, v in row.items()} | {"enfants-1-first_name": "Noé"}
    browser.post(url, post | {"action": "add:enfants"})
    dossier.refresh_from_db()
    assert [c["first_name"] for c in dossier.data["enfants"]["enfants"]] == ["Léa", "Noé", ""]
    browser.post(url, post | {"enfants-rows": "2", "action": "up:enfants:1"})
    dossier.refresh_from_db()
    assert [c["first_name"] for c in dossier.data["enfants"]["enfants"]] == ["Noé", "Léa"]
    # Each row validated: the error names the row and links to its field.
    answer = browser.post(url, post | {"enfants-1-birth_date": "2099-01-01"}, follow=True)
    text = answer.content.decode()
    assert "Enfant 2 : Date de naissance" in text and 'href="#id_enfants-1-birth_date"' in text
    browser.post(url, post | {"action": "remove:enfants:0"})
    dossier.refresh_from_db()
    assert [c["first_name"] for c in dossier.data["enfants"]["enfants"]] == ["Noé"]


def test_before_an_opening_each_visit_has_one_hour() -> None:
    period(opens_at=timezone.now() + timedelta(days=2), visit_minutes=60)
    user = candidate()
    application(user, complete=False)
    user.last_login = timezone.now() - timedelta(minutes=45)
    user.save(update_fields=["last_login"])
    browser = _signed_in(user)
    user.last_login = timezone.now() - timedelta(minutes=45)  # force_login moved it
    user.save(update_fields=["last_login"])
    url = reverse("intake:section", kwargs={"section_key": "autonomie"})
    page = browser.get(url).content.decode()
    assert "Temps restant pour cette visite" in page and "15 minutes" in page
    user.last_login = timezone.now() - timedelta(minutes=65)
    user.save(update_fields=["last_login"])
    page = browser.get(url).content.decode()
    assert "Le temps alloué pour cette visite est écoulé" in page
    # Within the grace, what was typed is still saved; after it, refused and shown again.
    browser.post(url, {"available_funds": "1000", "action": "save"})
    assert Dossier.objects.get(owner=user).data["autonomie"]["available_funds"] == "1000"
    user.last_login = timezone.now() - timedelta(minutes=75)
    user.save(update_fields=["last_login"])
    answer = browser.post(url, {"available_funds": "2000", "action": "save"})
    assert answer.status_code == 409 and 'value="2000"' in answer.content.decode()
    assert Dossier.objects.get(owner=user).data["autonomie"]["available_funds"] == "1000"


def test_submission_page_says_why_it_cannot_be_activated_then_submits() -> None:
    opened = period(quota=1)
    user = candidate()
    application(user)
    browser = _signed_in(user)
    url = reverse("intake:submit")
    page = browser.get(url).content.decode()
    assert "Prête à soumettre" in page and 'name="user_code"' in page
    answer = browser.post(
        url,
        {
            "user_code": user.username,
            "password": "mauvais",
            "answer_1": ANSWERS["first_flight"],
            "answer_2": ANSWERS["first_pet"],
        },
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "ne sont pas exacts" in text and f'value="{user.username}"' in text
    answer = browser.post(
        url,
        {
            "user_code": user.username,
            "password": PASSWORD,
            "answer_1": ANSWERS["first_flight"],
            "answer_2": ANSWERS["first_pet"],
        },
    )
    assert answer.status_code == 302
    dossier = Dossier.objects.get(owner=user)
    assert dossier.status == DossierStatus.SUBMITTED
    home = browser.get(reverse("intake:home")).content.decode()
    assert "Payer les frais" in home
    # The quota is now reached: another candidate's submission cannot be activated.
    other = candidate()
    application(other, passport="XY1234567")
    page = _signed_in(other).get(url).content.decode()
    assert "ne peut pas être activée" in page and 'name="user_code"' not in page
    opened.refresh_from_db()
    assert opened.taken == 1
    assert Application.objects.filter(counted=True).count() == 1


def test_missing_sections_are_listed_with_links() -> None:
    period()
    user = candidate()
    dossier = application(user)
    dossier.data["declaration"] = {}
    dossier.data["conjoint"]["has_spouse"] = "non"
    dossier.save()
    page = _signed_in(user).get(reverse("intake:submit")).content.decode()
    assert "n'est pas prête à soumettre" in page
    assert reverse("intake:section", kwargs={"section_key": "declaration"}) in page
    assert "Époux ou conjoint de fait" in page


def test_save_and_continue_with_an_incomplete_row_stays_on_the_section() -> None:
    """Issue 31.18: « Enregistrer et continuer » with an incomplete child moved on silently."""
    user = candidate()
    application(user, complete=False)
    browser = _signed_in(user)
    url = reverse("intake:section", kwargs={"section_key": "enfants"})
    post = {"has_children": "oui", "enfants-rows": "1", "enfants-0-first_name": "Léa"}
    answer = browser.post(url, post | {"action": "next"}, follow=True)
    assert answer.redirect_chain[-1][0] == url
    page = answer.content.decode()
    assert "corrigez-les avant de continuer" in page
