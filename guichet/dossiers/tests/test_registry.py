"""A new dossier kind plugs into the engine without touching it (issue 6 point 2, issue 14
§4): its own number format, its own lifecycle and statuses, an organisation as owner, its own
words for a form's status, its own buttons and its own submission hooks."""

from typing import Any

import pytest
from django import forms
from django.db import IntegrityError, transaction

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory
from guichet.core.refusals import Refused
from guichet.core.transitions import Transition
from guichet.dossiers import registry, services
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import (
    DossierKind,
    NumberFormat,
    Owner,
    Section,
    SectionForm,
    SectionStatus,
)
from guichet.dossiers.selectors import dossiers_for
from guichet.organisations.models import OrganisationKind

from .factories import draft

pytestmark = pytest.mark.django_db


class OfferForm(SectionForm):
    title = forms.CharField(label="Titre du poste", max_length=50)
    positions = forms.IntegerField(label="Nombre de postes", min_value=1)


class NoConditions(forms.Form):
    pass


def _refusals(user: Any, answers: dict[str, Any]) -> list[str]:
    return []


def _before_submit(dossier: Any, user: User) -> None:
    if dossier.data.get("offre", {}).get("title") == "Interdit":
        raise Refused("title_refused", "Ce titre de poste n'est pas accepté.")


def _on_submit(dossier: Any, user: User) -> None:
    dossier.last_name = "Soudure inc."  # what this kind keeps at submission


# An employer's job offer (seed 004): A + 7 digits, Non soumise → Demande en traitement →
# Soumis, or Retirée; the company owns it, every one of its users shares it.
JOB_OFFER = DossierKind(
    code="offre_emploi",
    label="Offre d'emploi",
    number_format=NumberFormat(prefix="A", digits=7),
    sections=(Section(key="offre", title="Offre", form_class=OfferForm),),
    conditions_form=NoConditions,
    refusals=_refusals,
    submitted_message=lambda dossier: f"Offre {dossier.number} reçue.",
    recap_title="Récapitulatif de votre offre",
    transitions={
        "submit": Transition(frozenset({DossierStatus.DRAFT}), DossierStatus.PENDING),
        "accept": Transition(frozenset({DossierStatus.PENDING}), DossierStatus.SUBMITTED),
        "withdraw": Transition(
            frozenset({DossierStatus.DRAFT, DossierStatus.PENDING}), DossierStatus.WITHDRAWN
        ),
    },
    deadline_days=30,
    owner=Owner.ORGANISATION,
    status_labels={
        DossierStatus.DRAFT: "Non soumise",
        DossierStatus.PENDING: "Demande en traitement",
        DossierStatus.SUBMITTED: "Soumis",
        DossierStatus.WITHDRAWN: "Retirée",
    },
    section_status_labels={
        SectionStatus.NOT_STARTED: "Pas commencé",
        SectionStatus.IN_PROGRESS: "En cours",
        SectionStatus.COMPLETE: "Terminé",
    },
    buttons=(("save", "Enregistrer"), ("submit", "Soumettre l'offre")),
    before_submit=_before_submit,
    on_submit=_on_submit,
)


@pytest.fixture
def job_offer(monkeypatch: pytest.MonkeyPatch) -> DossierKind:
    monkeypatch.setitem(registry._KINDS, JOB_OFFER.code, JOB_OFFER)
    return JOB_OFFER


def _employees() -> tuple[User, User, User]:
    company = OrganisationFactory.create(kind=OrganisationKind.EMPLOYER)
    first, colleague = (
        UserFactory.create(role=Role.EMPLOYER, organisation=company) for _ in range(2)
    )
    stranger = UserFactory.create(
        role=Role.EMPLOYER, organisation=OrganisationFactory.create(kind=OrganisationKind.EMPLOYER)
    )
    return first, colleague, stranger


def test_a_kind_with_its_own_number_lifecycle_and_organisation_goes_through_the_engine(
    job_offer: DossierKind, django_capture_on_commit_callbacks: Any
) -> None:
    first, colleague, _ = _employees()
    offer = services.create(kind=job_offer, actor=first, answers={})
    assert offer.number.startswith("A") and len(offer.number) == 8 and offer.number[1:].isdigit()
    assert offer.owner is None and offer.owner_organisation_id == first.organisation_id
    assert offer.status_label == "Non soumise"
    second = services.create(kind=job_offer, actor=colleague, answers={})  # many per company
    assert int(second.number[1:]) == int(offer.number[1:]) + 1

    # A colleague of the same company works on the same offer.
    offer = services.save_section(
        dossier=offer,
        section_key="offre",
        raw={"title": "Soudeur", "positions": "0"},
        actor=colleague,
    )
    assert [str(s.label) for _, s in services.section_statuses(offer)] == ["En cours"]
    assert services.section_statuses(offer)[0][1] == SectionStatus.IN_PROGRESS
    assert [e.field for e in services.submission_errors(offer)] == ["positions"]
    offer = services.save_section(
        dossier=offer, section_key="offre", raw={"title": "Interdit", "positions": "2"}, actor=first
    )
    with pytest.raises(Refused) as refusal:
        services.submit(dossier=offer, actor=first)
    assert refusal.value.code == "title_refused"  # the kind's own check
    offer = services.save_section(
        dossier=offer, section_key="offre", raw={"title": "Soudeur", "positions": "2"}, actor=first
    )
    assert [str(s.label) for _, s in services.section_statuses(offer)] == ["Terminé"]
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.submit(dossier=offer, actor=colleague)
    assert offer.status == DossierStatus.PENDING  # the kind's "submit", not the engine's
    assert offer.status_label == "Demande en traitement"
    assert offer.last_name == "Soudure inc."  # on_submit ran
    assert offer.can("accept") and not offer.can("close")
    # The confirmation and the recap go to the member who submitted it.
    assert offer.thread.owner == colleague
    assert offer.thread.messages.get().body == f"Offre {offer.number} reçue."
    assert offer.documents.get().owner == colleague


def test_a_kind_owned_by_organisations_is_shared_by_its_members_only(
    job_offer: DossierKind,
) -> None:
    first, colleague, stranger = _employees()
    offer = services.create(kind=job_offer, actor=first, answers={})
    assert offer.belongs_to(colleague) and not offer.belongs_to(stranger)
    with pytest.raises(Refused):
        services.save_section(
            dossier=offer, section_key="offre", raw={"title": "x"}, actor=stranger
        )
    with pytest.raises(Refused) as refusal:
        services.submit(dossier=offer, actor=stranger)
    assert refusal.value.code == "not_owner"
    assert list(dossiers_for(colleague)) == [offer]
    assert list(dossiers_for(stranger)) == []
    homeless = UserFactory.create(role=Role.EMPLOYER, organisation=None)
    with pytest.raises(Refused) as refusal:
        services.create(kind=job_offer, actor=homeless, answers={})
    assert refusal.value.code == "no_organisation"


def test_the_database_checks_every_number_against_its_rows_format(job_offer: DossierKind) -> None:
    first, _, _ = _employees()
    offer = services.create(kind=job_offer, actor=first, answers={})
    person = draft()
    assert (person.number_prefix, person.number_digits) == ("G", 10)
    for number in ("A123456", "A12345678", "AB123456", "a1234567", "A12345X7", "G1234567"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Dossier.objects.filter(pk=offer.pk).update(number=number)
    for number in ("G260001234", "G26000012345", "A2600001234"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Dossier.objects.filter(pk=person.pk).update(number=number)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=offer.pk).update(owner=first)  # a person and an organisation


def test_a_kind_declares_a_valid_format_and_a_submit_action() -> None:
    for prefix, digits in (("ab", 7), ("ABCD", 7), ("", 7), ("A", 0), ("É", 7)):
        with pytest.raises(ValueError):
            NumberFormat(prefix=prefix, digits=digits)
    with pytest.raises(ValueError):
        registry.register(
            DossierKind(
                code="x",
                label="X",
                number_format=NumberFormat(prefix="X", digits=5),
                sections=(),
                conditions_form=NoConditions,
                refusals=_refusals,
                submitted_message=str,
                recap_title="X",
                transitions={},
            )
        )


def test_each_kind_has_its_own_statuses_and_names_no_other() -> None:
    """Statuses per kind (issue 32): a kind's statuses are those its lifecycle reaches; a word
    or a clock rule for a status it never reaches is refused when it registers."""
    import dataclasses

    assert JOB_OFFER.statuses == {"draft", "pending", "submitted", "withdrawn"}
    assert [code for code, _label in JOB_OFFER.status_choices()] == [
        "draft",
        "pending",
        "submitted",
        "withdrawn",
    ]
    with pytest.raises(ValueError, match="never reaches"):
        registry.register(
            dataclasses.replace(
                JOB_OFFER,
                code="x",
                status_labels={**JOB_OFFER.status_labels, DossierStatus.PAID: "Payée"},
            )
        )
    with pytest.raises(ValueError, match="unknown statuses"):
        registry.register(
            dataclasses.replace(
                JOB_OFFER,
                code="x",
                transitions={
                    **JOB_OFFER.transitions,
                    "lose": Transition(frozenset({DossierStatus.DRAFT}), "lost"),
                },
            )
        )
    assert registry.get_kind("x") is None
    for kind in registry.all_kinds():  # the registered ones passed the same checks
        assert kind.statuses <= set(DossierStatus.values)
