"""« Modification à une demande de certificat de sélection » (seed 002 FAQ 2, 19, 24): once an
application is submitted and paid, its candidate asks online to add a dependant, to change
their status or their address. A request type of its own — a kind of the dossier engine,
numbered `M`, with its own message thread — that an intake officer processes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.forms import DateField, not_in_future
from guichet.core.refusals import Refused
from guichet.core.transitions import Transition
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import (
    DossierKind,
    NumberFormat,
    Owner,
    Section,
    SectionForm,
    register,
)
from guichet.intake.models import Application
from guichet.intake.selectors import handles_intake

CODE = "csq-modification"
CHANGES = [
    ("personne_a_charge", gettext_lazy("Ajout d'un conjoint ou d'un enfant à charge")),
    ("etat_civil", gettext_lazy("Changement d'état civil ou de statut")),
    ("adresse", gettext_lazy("Changement d'adresse")),
]
# Paid and not decided: the application a modification may concern (FAQ 19).
OPEN_TO_CHANGES = (DossierStatus.PAID, DossierStatus.IN_PROGRESS)


class ModificationForm(SectionForm):
    change = forms.ChoiceField(
        label=gettext_lazy("Type de modification"),
        choices=CHANGES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez le type de modification.")},
    )
    changed_on = DateField(
        label=gettext_lazy("Date du changement"),
        validators=[not_in_future],
        error_messages={"required": gettext_lazy("Indiquez la date du changement.")},
    )
    details = forms.CharField(
        label=gettext_lazy(
            "Précisions (la personne ajoutée, le nouveau statut ou la nouvelle adresse)"
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Décrivez la modification.")},
    )


class NoConditions(forms.Form):
    pass


def _refusals(user: User, answers: dict[str, Any]) -> list[str]:
    return (
        []
        if application_to_change(user) is not None
        else [_("Une modification concerne une demande soumise et payée.")]
    )


def _submitted_message(dossier: Dossier) -> str:
    return _(
        "Votre demande de modification %(number)s est reçue. Le Ministère vous répondra dans ce "
        "fil de messages. Joignez par la poste les documents requis dans les 30 jours suivant le "
        "changement."
    ) % {"number": dossier.number}


MODIFICATION = register(
    DossierKind(
        code=CODE,
        label=gettext_lazy("Modification à une demande de certificat de sélection"),
        number_format=NumberFormat(prefix="M", digits=10, yearly=True),
        sections=(
            Section(
                key="modification", title=gettext_lazy("Modification"), form_class=ModificationForm
            ),
        ),
        conditions_form=NoConditions,
        refusals=_refusals,
        submitted_message=_submitted_message,
        recap_title=gettext_lazy("Demande de modification"),
        transitions={
            "submit": Transition(frozenset({DossierStatus.DRAFT}), DossierStatus.SUBMITTED),
            "close": Transition(frozenset({DossierStatus.SUBMITTED}), DossierStatus.CLOSED),
        },
        deadline_days=30,
        owner=Owner.PERSON,
        status_labels={
            DossierStatus.DRAFT: gettext_lazy("Non soumise"),
            DossierStatus.SUBMITTED: gettext_lazy("Reçue"),
            DossierStatus.CLOSED: gettext_lazy("Traitée"),
        },
        buttons=(),
        listed=False,
        thread_subject=lambda dossier: (
            _("Demande de modification %(number)s") % {"number": dossier.number}
        ),
    )
)


def application_to_change(user: User) -> Application | None:
    return (
        Application.objects.filter(dossier__owner=user, dossier__status__in=OPEN_TO_CHANGES)
        .select_related("dossier")
        .first()
    )


def modifications_of(owner: User | None) -> Any:
    if owner is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(owner=owner, kind=CODE).order_by("-created_at")


@transaction.atomic
def request(*, actor: Actor | User, raw: dict[str, Any]) -> Dossier:
    """The candidate's request, as typed, submitted at once (its confirmation in its thread)."""
    actor = as_actor(actor)
    user = actor.person
    if modifications_of(user).filter(status=DossierStatus.SUBMITTED).exists():
        raise Refused(
            "already_open",
            _("Votre demande de modification précédente est en traitement : attendez sa réponse."),
        )
    form = ModificationForm(data=raw)
    if not form.is_valid():
        raise Refused("form_errors", _("Corrigez les erreurs du formulaire."))
    dossier = dossiers.create(kind=MODIFICATION, actor=actor, answers={})
    dossiers.save_section(dossier=dossier, section_key="modification", raw=raw, actor=actor)
    row = dossiers.submit(dossier=dossier, actor=actor)
    audit(actor, "intake.modification_requested", row)
    return row


@transaction.atomic
def process(*, dossier: Dossier, answer: str, actor: Actor | User) -> Dossier:
    """An intake officer answers the request in its thread and marks it processed."""
    actor = as_actor(actor)
    if not handles_intake(actor):
        raise Refused(
            "not_allowed", _("Cette action est réservée aux agents de réception des demandes.")
        )
    if not answer.strip():
        raise Refused("answer_required", _("Écrivez votre réponse."), field="answer")
    row = dossiers.locked(dossier)
    if row.kind != CODE:
        raise Refused("not_found", _("Cette demande de modification n'existe pas."))
    dossiers.transition(row, "close", actor)
    row.save(update_fields=["status", "updated_at"])
    dossiers.post_to_owner(row, answer.strip(), actor)
    audit(actor, "intake.modification_processed", row)
    return row
