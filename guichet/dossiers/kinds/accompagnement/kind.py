"""Accompagnement Québec (seed 001): the first dossier type."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import User
from guichet.accounts.selectors import personal_profile, profile_snapshot
from guichet.clients.fields import LocalityField, resolve
from guichet.core.forms import NO, YES, yes_no
from guichet.core.refusals import Refused
from guichet.core.transitions import Table, Transition
from guichet.dossiers.models import PROCESSING_STATUSES, Accompaniment, DossierStatus
from guichet.dossiers.registry import (
    ClockRule,
    DossierKind,
    NumberFormat,
    Section,
    SectionForm,
    register,
    required_when_shown,
)

MIFI_NUMBER = re.compile(r"^[A-Za-z0-9]{8,11}$")
IRCC_NUMBER = re.compile(r"^(\d{8}|\d{10})$")

STATUSES = [
    ("permanent_resident", gettext_lazy("Personne résidente permanente")),
    ("citizen", gettext_lazy("Citoyenne ou citoyen canadien")),
    ("temporary_resident", gettext_lazy("Personne résidente temporaire")),
]
STATUS_DETAILS: dict[str, list[tuple[str, Any]]] = {
    "permanent_resident": [
        ("pr_selected", gettext_lazy("Personne résidente permanente (sélectionnée par le Québec)")),
        (
            "pr_not_selected",
            gettext_lazy("Personne résidente permanente (non sélectionnée par le Québec)"),
        ),
        ("sponsored_refugee", gettext_lazy("Personne réfugiée parrainée")),
    ],
    "citizen": [
        (
            "citizen_selected",
            gettext_lazy("Personne citoyenne canadienne naturalisée (sélectionnée par le Québec)"),
        ),
        (
            "citizen_not_selected",
            gettext_lazy(
                "Personne citoyenne canadienne naturalisée (non sélectionnée par le Québec)"
            ),
        ),
    ],
    "temporary_resident": [
        ("temporary_worker", gettext_lazy("Travailleuse ou travailleur temporaire")),
        ("foreign_student", gettext_lazy("Étudiante ou étudiant étranger")),
        (
            "temporary_spouse",
            gettext_lazy("Conjointe ou conjoint d'une personne résidente temporaire"),
        ),
    ],
}
LANGUAGES = [
    ("en", gettext_lazy("Anglais")),
    ("es", gettext_lazy("Espagnol")),
    ("ar", gettext_lazy("Arabe")),
    ("ht", gettext_lazy("Créole")),
    ("zh", gettext_lazy("Mandarin")),
    ("fa", gettext_lazy("Persan")),
    ("hi", gettext_lazy("Hindi")),
    ("tl", gettext_lazy("Tagalog")),
    ("other", gettext_lazy("Autre")),
]
DAYS = [
    ("mon", gettext_lazy("Lundi")),
    ("tue", gettext_lazy("Mardi")),
    ("wed", gettext_lazy("Mercredi")),
    ("thu", gettext_lazy("Jeudi")),
    ("fri", gettext_lazy("Vendredi")),
]
PERIODS = [("am", gettext_lazy("Matin")), ("pm", gettext_lazy("Après-midi"))]
AVAILABILITY = [
    (f"{day}_{period}", format_lazy("{} {}", day_label, period_label))
    for day, day_label in DAYS
    for period, period_label in PERIODS
]
MODES = [
    ("in_person", gettext_lazy("En personne")),
    ("virtual", gettext_lazy("En mode virtuel")),
]
MIFI_HINT = gettext_lazy(
    "Numéro de 8 à 11 caractères numériques ou alphanumériques. Il apparaît sur votre Certificat "
    "de sélection du Québec (CSQ), votre Certificat d'acceptation du Québec (CAQ) ou sur toute "
    "correspondance personnelle avec le Ministère."
)
IRCC_HINT = gettext_lazy(
    "Numéro de 8 ou 10 chiffres inscrit sur tous les documents que vous a envoyés le "
    "gouvernement du Canada (numéro d'identification unique IUC / UIC)."
)
UNDER_18 = gettext_lazy(
    "La personne demandeuse doit avoir au moins 18 ans pour s'inscrire à Accompagnement Québec."
)
REQUIRED = {"required": gettext_lazy("Répondez à cette question.")}


def _detail_field(status: str) -> forms.ChoiceField:
    return required_when_shown(
        forms.ChoiceField(
            label=gettext_lazy("Quel est le détail de votre statut d'immigration ?"),
            choices=STATUS_DETAILS[status],
            widget=forms.RadioSelect,
            required=False,
        )
    )


class IdentificationForm(SectionForm):
    immigration_status = forms.ChoiceField(
        label=gettext_lazy("Quel est votre statut d'immigration ?"),
        choices=[("", gettext_lazy("Sélectionner")), *STATUSES],
        error_messages=REQUIRED,
    )
    detail_permanent_resident = _detail_field("permanent_resident")
    detail_citizen = _detail_field("citizen")
    detail_temporary_resident = _detail_field("temporary_resident")
    has_mifi_number = yes_no(
        label=gettext_lazy(
            "Avez-vous un numéro de référence individuel du ministère de l'Immigration, de la "
            "Francisation et de l'Intégration ?"
        ),
        error_messages=REQUIRED,
    )
    mifi_number = required_when_shown(
        forms.CharField(
            label=gettext_lazy("Numéro de référence individuel"),
            help_text=MIFI_HINT,
            required=False,
            max_length=11,
        )
    )
    has_ircc_number = yes_no(
        label=gettext_lazy(
            "Avez-vous un numéro de dossier d'Immigration, Réfugiés et Citoyenneté Canada (IRCC) ?"
        ),
        error_messages=REQUIRED,
    )
    ircc_number = required_when_shown(
        forms.CharField(
            label=gettext_lazy("Numéro d'identification auprès d'IRCC"),
            help_text=IRCC_HINT,
            required=False,
            max_length=10,
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mifi_number"].widget.attrs["autocomplete"] = "off"
        self.fields["ircc_number"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def relevant_fields(self) -> list[str]:
        status = self.data.get("immigration_status")
        names = ["immigration_status"]
        if status in STATUS_DETAILS:
            names.append(f"detail_{status}")
        names.append("has_mifi_number")
        if self.data.get("has_mifi_number") == YES:
            names.append("mifi_number")
        names.append("has_ircc_number")
        if self.data.get("has_ircc_number") == YES:
            names.append("ircc_number")
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("immigration_status")
        if status in STATUS_DETAILS and not data.get(f"detail_{status}"):
            self.add_error(f"detail_{status}", _("Précisez votre statut d'immigration."))
        mifi = (data.get("mifi_number") or "").replace(" ", "")
        ircc = (data.get("ircc_number") or "").replace(" ", "")
        if data.get("has_mifi_number") == YES:
            if not mifi:
                self.add_error("mifi_number", _("Inscrivez votre numéro de référence individuel."))
            elif not MIFI_NUMBER.match(mifi):
                self.add_error(
                    "mifi_number",
                    _("Le numéro de référence individuel compte de 8 à 11 lettres ou chiffres."),
                )
        if data.get("has_ircc_number") == YES:
            if not ircc:
                self.add_error("ircc_number", _("Inscrivez votre numéro d'identification d'IRCC."))
            elif not IRCC_NUMBER.match(ircc):
                self.add_error(
                    "ircc_number", _("Le numéro d'identification d'IRCC compte 8 ou 10 chiffres.")
                )
        if data.get("has_mifi_number") == NO and data.get("has_ircc_number") == NO:
            self.add_error(
                "has_ircc_number",
                _(
                    "Vous devez inscrire au moins un des deux numéros : celui du Ministère ou "
                    "celui d'IRCC."
                ),
            )
        return data


class FirstAppointmentForm(SectionForm):
    days = DAYS
    periods = PERIODS
    city = LocalityField(
        label=gettext_lazy("Ville de résidence souhaitée"),
        help_text=gettext_lazy("Tapez les premières lettres, puis choisissez dans la liste."),
        error_messages=REQUIRED,
    )
    appointment_mode = forms.ChoiceField(
        label=gettext_lazy("Type de rendez-vous souhaité"),
        choices=MODES,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    french_sufficient = yes_no(
        label=gettext_lazy(
            "Avez-vous un niveau de français suffisant pour discuter avec votre agente ou agent "
            "d'aide à l'intégration ?"
        ),
        error_messages=REQUIRED,
    )
    languages = required_when_shown(
        forms.MultipleChoiceField(
            label=gettext_lazy("Quelle(s) langue(s) parlez-vous ?"),
            choices=LANGUAGES,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
    )
    other_language = required_when_shown(
        forms.CharField(
            label=gettext_lazy("Spécifier"),
            help_text=gettext_lazy("Si vous avez coché « Autre »."),
            max_length=60,
            required=False,
        )
    )
    availability = forms.MultipleChoiceField(
        label=gettext_lazy("Disponibilités (Heure de l'Est - Québec)"),
        help_text=gettext_lazy("Prévoir une heure pour le rendez-vous."),
        choices=AVAILABILITY,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Cochez au moins une disponibilité.")},
    )

    def relevant_fields(self) -> list[str]:
        names = ["city", "appointment_mode", "french_sufficient"]
        if self.data.get("french_sufficient") == NO:
            names.append("languages")
            if "other" in (self.data.get("languages") or []):
                names.append("other_language")
        names.append("availability")
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("french_sufficient") == NO:
            languages = data.get("languages") or []
            if not languages:
                self.add_error("languages", _("Cochez au moins une langue."))
            if "other" in languages and not (data.get("other_language") or "").strip():
                self.add_error("other_language", _("Précisez l'autre langue que vous parlez."))
        return data


class ConditionsForm(forms.Form):
    """« Conditions à la création d'une demande » (seed 001 §2.1)."""

    document = forms.ChoiceField(
        label=gettext_lazy("Lequel de ces documents valides avez-vous en votre possession ?"),
        choices=[
            ("caq", gettext_lazy("Un Certificat d'acceptation du Québec (CAQ)")),
            ("csq", gettext_lazy("Un Certificat de sélection du Québec (CSQ)")),
            (
                "ircc",
                gettext_lazy(
                    "Un document d'immigration d'Immigration, Réfugiés et Citoyenneté Canada (IRCC)"
                ),
            ),
            ("none", gettext_lazy("Aucun de ces documents")),
        ],
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def refusals(user: User, answers: dict[str, Any]) -> list[str]:
    reasons = []
    profile = personal_profile(user)
    if profile is not None and _age(profile.birth_date, timezone.localdate()) < 18:
        reasons.append(str(UNDER_18))
    if answers.get("document") == "none":
        reasons.append(
            _(
                "Vous devez avoir en votre possession un CAQ, un CSQ ou un document "
                "d'immigration d'IRCC valide lors de votre inscription."
            )
        )
    return reasons


def submitted_message(dossier: Any) -> str:
    """The first appointment's details are due on the date its commitment's clock gives
    (seed 001: within 24 hours; by the next business day on the business-day calendar)."""
    kept = Accompaniment.objects.filter(dossier_id=dossier.pk).first()
    due = kept.first_appointment_due_at if kept is not None else None
    return _(
        "Bonjour,\n\nNous avons bien reçu votre demande Accompagnement Québec (dossier "
        "%(number)s), soumise le %(date)s.\n\nLes détails de votre rendez-vous vous seront "
        "envoyés dans votre Centre des messages au plus tard le %(due)s. Le récapitulatif de "
        "votre demande se trouve dans « Mes documents ».\n\n"
        "Ministère de l'Immigration, de la Francisation et de l'Intégration"
    ) % {
        "number": dossier.number,
        "date": timezone.localtime(dossier.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "due": timezone.localdate(due).strftime("%Y-%m-%d") if due else "",
    }


def facets(data: dict[str, Any]) -> dict[str, Any]:
    """The agents' queue facets (city, languages, availability), from the first-appointment
    section."""
    first = data.get("premier_rendez_vous") or {}
    cities = resolve(str(first.get("city") or ""))
    french = first.get("french_sufficient") == YES
    languages = ["fr"] if french else [v for v in first.get("languages") or [] if v]
    return {
        "city_id": cities[0].pk if len(cities) == 1 else None,
        "languages": ",".join(languages),
        "availability": ",".join(first.get("availability") or []),
    }


def before_submit(dossier: Any, user: User) -> None:
    """The personal information is part of the request (SPEC E9)."""
    if personal_profile(user) is None:
        raise Refused(
            "profile_missing", _("Remplissez vos renseignements personnels avant de soumettre.")
        )


def on_submit(dossier: Any, user: User) -> None:
    """What is kept at submission: the identity (to recognise the person who links a dossier
    later), the personal information as it stands (SPEC E9), the queue facets, and the time by
    which the agent must send the first appointment (set by its commitment's clock)."""
    profile = personal_profile(user)
    assert profile is not None  # before_submit refused otherwise
    dossier.first_name = profile.passport_first_name
    dossier.last_name = profile.passport_last_name
    dossier.sex = profile.sex
    dossier.birth_date = profile.birth_date
    dossier.profile_snapshot = profile_snapshot(user)
    Accompaniment.objects.update_or_create(dossier_id=dossier.pk, defaults=facets(dossier.data))


def keep_due(dossier_id: int, due: datetime) -> None:
    """The first appointment's due time, as its commitment's clock sets it (the request's « à
    faire avant » and the agents' queue show it)."""
    Accompaniment.objects.filter(dossier_id=dossier_id).exclude(
        first_appointment_due_at=due
    ).update(first_appointment_due_at=due)


# The lifecycle: action -> (statuses it may start from, status it leads to).
TRANSITIONS: Table = {
    "submit": Transition(frozenset({DossierStatus.DRAFT}), DossierStatus.SUBMITTED),
    "assign": Transition(PROCESSING_STATUSES, DossierStatus.IN_PROGRESS),
    "close": Transition(PROCESSING_STATUSES, DossierStatus.CLOSED),
}


ACCOMPAGNEMENT_QUEBEC = register(
    DossierKind(
        code="accompagnement_quebec",
        label=gettext_lazy("Accompagnement Québec"),
        number_format=NumberFormat(prefix="G", digits=10, yearly=True),
        sections=(
            Section(
                key="identification",
                title=gettext_lazy("Identification"),
                form_class=IdentificationForm,
                template="dossiers/sections/identification.html",
            ),
            Section(
                key="premier_rendez_vous",
                title=gettext_lazy("Premier rendez-vous"),
                form_class=FirstAppointmentForm,
                template="dossiers/sections/premier_rendez_vous.html",
            ),
        ),
        conditions_form=ConditionsForm,
        refusals=refusals,
        submitted_message=submitted_message,
        recap_title=gettext_lazy("Récapitulatif de votre demande d'accompagnement"),
        transitions=TRANSITIONS,
        deadline_days=90,
        before_submit=before_submit,
        on_submit=on_submit,
        # Seed 003: the first appointment's details by the next business day; the dossier's
        # « à faire avant » follows the clock.
        clock=ClockRule(
            commitment="aq-first-appointment",
            stops_on="dossier.first_appointment_sent",
            keep_due=keep_due,
            what=gettext_lazy("Détails de votre premier rendez-vous"),
        ),
    )
)
