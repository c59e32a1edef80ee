"""What « Récapitulatif » shows, on screen and in the PDF: the personal information (from the
snapshot once submitted, from the profile before) and every section's answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from guichet.accounts.models import PersonalProfile, Sex
from guichet.accounts.personal import PHONES
from guichet.accounts.selectors import profile_snapshot

from .models import Dossier
from .registry import EMPTY, kind_of


def _country(code: str) -> str:
    return str(countries.name(code)) if code else EMPTY


def profile_groups(snapshot: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    def value(key: str) -> str:
        return str(snapshot.get(key) or "") or EMPTY

    def field_label(name: str) -> str:
        return str(
            getattr(PersonalProfile._meta.get_field(name), "verbose_name", name)
        ).capitalize()

    phones = []
    for key, label in PHONES:
        phones.append((f"{label} : {_('Indicatif international')}", value(f"{key}_phone_code")))
        phones.append((f"{label} : {_('Numéro de téléphone')}", value(f"{key}_phone")))
    phones.append((f"{_('Travail')} : {_('Numéro de poste')}", value("work_phone_ext")))
    return [
        (
            _("Identité"),
            [
                (field_label("passport_last_name"), value("passport_last_name")),
                (field_label("passport_first_name"), value("passport_first_name")),
                (_("Sexe"), str(dict(Sex.choices).get(str(snapshot.get("sex")), EMPTY))),
                (_("Date de naissance (AAAA-MM-JJ)"), value("birth_date")),
                (field_label("birth_city"), value("birth_city")),
                (field_label("birth_country"), _country(str(snapshot.get("birth_country") or ""))),
            ],
        ),
        (_("Coordonnées"), [(_("Adresse mail"), value("email"))]),
        (
            _("Adresse du domicile"),
            [
                (field_label("address_line1"), value("address_line1")),
                (field_label("address_line2"), value("address_line2")),
                (field_label("address_line3"), value("address_line3")),
                (field_label("country"), _country(str(snapshot.get("country") or ""))),
                (field_label("province"), value("province")),
                (field_label("city"), value("city")),
                (field_label("postal_code"), value("postal_code")),
            ],
        ),
        (_("Téléphone"), phones),
    ]


def recap_context(dossier: Dossier) -> dict[str, Any]:
    kind = kind_of(dossier)
    snapshot = dossier.profile_snapshot
    if not snapshot and dossier.owner is not None:
        snapshot = profile_snapshot(dossier.owner)
    sections = []
    for section in kind.sections:
        sections.append((section, section.recap_rows(dossier.data.get(section.key))))
    name = " ".join(
        part
        for part in (snapshot.get("passport_first_name"), snapshot.get("passport_last_name"))
        if part
    )
    return {
        "dossier": dossier,
        "kind": kind,
        "person_name": name or (f"{dossier.first_name} {dossier.last_name}".strip()),
        "profile_groups": profile_groups(snapshot) if snapshot else [],
        "recap_sections": sections,
    }
