"""A new dossier type plugs into the engine without touching it (issue 6, point 2)."""

from typing import Any

import pytest
from django import forms

from guichet.dossiers import registry, services
from guichet.dossiers.models import DossierStatus
from guichet.dossiers.registry import DossierKind, Section, SectionForm, SectionStatus

from .factories import with_profile

pytestmark = pytest.mark.django_db


class OfferForm(SectionForm):
    title = forms.CharField(label="Titre du poste", max_length=50)
    positions = forms.IntegerField(label="Nombre de postes", min_value=1)


class NoConditions(forms.Form):
    pass


def _refusals(user: Any, answers: dict[str, Any]) -> list[str]:
    return []


EMPLOYER_OFFER = DossierKind(
    code="offre_emploi",
    label="Offre d'emploi",
    letter="E",
    sections=(Section(key="offre", title="Offre", form_class=OfferForm),),
    conditions_form=NoConditions,
    refusals=_refusals,
    submitted_message=lambda dossier: f"Offre {dossier.number} reçue.",
    recap_title="Récapitulatif de votre offre",
    deadline_days=30,
)


def test_a_registered_type_goes_through_the_whole_lifecycle(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setitem(registry._KINDS, EMPLOYER_OFFER.code, EMPLOYER_OFFER)
    owner = with_profile()
    dossier = services.create(kind=EMPLOYER_OFFER, actor=owner, answers={})
    assert dossier.number.startswith("E") and len(dossier.number) == 11
    assert (dossier.deadline - dossier.created_at.date()).days in (29, 30)
    dossier = services.save_section(
        dossier=dossier,
        section_key="offre",
        raw={"title": "Soudeur", "positions": "0"},
        actor=owner,
    )
    assert services.section_statuses(dossier)[0][1] == SectionStatus.IN_PROGRESS
    assert [e.field for e in services.submission_errors(dossier)] == ["positions"]
    dossier = services.save_section(
        dossier=dossier,
        section_key="offre",
        raw={"title": "Soudeur", "positions": "2"},
        actor=owner,
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.submit(dossier=dossier, actor=owner)
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.thread.messages.get().body == f"Offre {dossier.number} reçue."
    assert dossier.documents.get().title == "Récapitulatif de votre offre"


def test_a_type_needs_a_one_letter_capital_prefix() -> None:
    with pytest.raises(ValueError):
        registry.register(
            DossierKind(
                code="x",
                label="X",
                letter="ab",
                sections=(),
                conditions_form=NoConditions,
                refusals=_refusals,
                submitted_message=str,
                recap_title="X",
            )
        )
