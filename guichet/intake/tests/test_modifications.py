"""Modification requests (issue 17 §10, seed 002 FAQ 2, 19, 24): once paid, the candidate asks
to add a dependant or change their status or address; a request type with its own thread,
answered and closed by an intake officer."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guichet.core.refusals import Refused
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.intake.kinds.modification import kind as modifications

from .factories import candidate, officer, period, submitted

pytestmark = pytest.mark.django_db

CHANGE = {"change": "adresse", "changed_on": "2026-11-20", "details": "12, rue du Parc, Lyon"}


def test_a_paid_candidate_asks_for_a_change_and_the_officer_answers_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    period()
    user = candidate()
    dossier = submitted(user)
    browser = Client()
    browser.force_login(user)
    url = reverse("intake:modification")
    assert browser.get(url).status_code == 404  # submitted, not paid yet
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.PAID)
    assert "Demander une modification" in browser.get(reverse("intake:home")).content.decode()
    answer = browser.post(url, {**CHANGE, "details": ""})
    assert answer.status_code == 422 and "Décrivez la modification." in answer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(url, CHANGE)
    assert answer.status_code == 302
    change = modifications.modifications_of(user).get()
    assert change.number.startswith("M") and change.status == DossierStatus.SUBMITTED
    assert "est reçue" in change.thread.messages.get().body
    with pytest.raises(Refused):
        modifications.request(actor=user, raw=CHANGE)  # one at a time
    with pytest.raises(Refused):
        modifications.process(dossier=change, answer="Bien reçu", actor=user)
    modifications.process(dossier=change, answer="Votre adresse est mise à jour.", actor=officer())
    change.refresh_from_db()
    assert change.status == DossierStatus.CLOSED and change.status_label == "Traitée"
    assert change.thread.messages.order_by("-pk")[0].body == "Votre adresse est mise à jour."
    home = browser.get(reverse("intake:home")).content.decode()
    assert change.number in home and "Traitée" in home
    # It is not an agent's dossier: « Mes dossiers » does not hold it either.
    assert change.number not in browser.get(reverse("dossiers:mine")).content.decode()
