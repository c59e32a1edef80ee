"""The public « Déclaration de services à la clientèle »: the seed's commitments as data, their
delays, how they are counted, the contact block and the complaints commissioner, in French and
English."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.commitments.models import Commitment, DelayUnit

pytestmark = pytest.mark.django_db


def test_the_declarations_commitments_are_data_with_their_delays() -> None:
    delays = dict(Commitment.objects.filter(declared=True).values_list("code", "delay"))
    assert delays == {
        "csq-file-opening": 30,
        "csq-peq-decision": 20,
        "caq-studies-decision": 20,
        "sponsorship-decision": 20,
        "first-steps-meeting": 5,
        "work-world-session": 15,
        "evaluation-file-opening": 15,
        "regulatory-body-support": 20,
        "french-eligibility": 20,
        "french-course-start": 65,
        "phone-answer": 3,
        "email-answer": 5,
        "complaint-acknowledgement": 2,
        "complaint-answer": 10,
    }
    assert Commitment.objects.get(code="phone-answer").unit == DelayUnit.MINUTES
    assert (
        Commitment.objects.filter(declared=True)
        .exclude(code="phone-answer")
        .filter(unit="business_days")
        .count()
        == 13
    )


def test_the_public_page_in_french_and_english() -> None:
    with translation.override("fr"):
        url = reverse("commitments:declaration")
    page = Client().get(url).content.decode()
    for text in (
        "Déclaration de services à la clientèle",
        "Rencontre sur les premières démarches d&#x27;installation au Québec",
        "5 jours ouvrables",
        "3 minutes",
        "date de réception",
        "514 864-9191",
        "1 866 227-5968",
        "Du lundi au vendredi de 8 h à 16 h 30, sauf le mercredi à compter de 10 h 30",
        "Commissaire aux plaintes et à la qualité des services",
        "Accusé de réception",
        "10 jours ouvrables",
    ):
        assert text in page, text
    with translation.override("en"):
        url = reverse("commitments:declaration")
    page = Client().get(url).content.decode()
    for text in (
        "Statement of services to the public",
        "Meeting on the first steps of settling in Québec",
        "5 business days",
        "Monday to Friday from 8 a.m. to 4:30 p.m., except Wednesday from 10:30 a.m.",
        "Commissioner for Complaints and Quality of Services",
    ):
        assert text in page, text


# A copy of seed 003 (the declaration), kept with the test so that it runs in any clone.
SEED = Path(__file__).with_name("seed_003_declaration.txt")


def _page_text(html_text: str) -> str:
    inline = re.sub(r"</?(cite|strong|em|a)\b[^>]*>", "", html_text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", inline))
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def seed_items() -> list[str]:
    """Every bullet of seed 003's declaration, in the seed's words, folded for comparison."""
    seed = SEED.read_text(encoding="utf-8")
    items = [
        line.strip().removeprefix("- ").replace("*", "").split("DEMANDE D'ENGAGEMENT")[0]
        for line in seed.splitlines()
        if line.strip().startswith("- ")
    ]
    return [" ".join(item.split()).casefold() for item in items]


CLOSING_LINES = (
    "Les engagements de cette déclaration témoignent de notre volonté de vous offrir des "
    "services de qualité jour après jour.",
    "Le personnel du ministère de l'Immigration et des Communautés culturelles",
    "Nos principaux services",
    "Pour agir à titre de consultant en immigration",
    "Demande d'engagement de parrainage familial ou collectif",
)


def test_the_declaration_holds_every_item_of_the_seed(client) -> None:
    """Issue 31.2: « Nos principaux services » (and its closing lines) were missing. Every
    bullet of seed 003 is on the page, in the seed's words."""
    page = _page_text(client.get(reverse("commitments:declaration")).content.decode())
    items = seed_items()
    assert len(items) > 50
    missing = [item for item in items if item not in page]
    assert missing == []
    for closing in CLOSING_LINES:
        assert closing.casefold() in page, closing
