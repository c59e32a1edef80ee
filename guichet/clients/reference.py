"""Reference data: the statuses of seed 000 §1.3 and the Québec localities (clients/data/).
Loaded by migration 0002 (and brought up to date by 0008); idempotent, so tests that empty the
database can load it again."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

STATUSES = [
    ("temporary_worker", "Travailleur temporaire", "Temporary worker", True),
    ("foreign_student", "Étudiant étranger", "Foreign student", True),
    ("naturalized_citizen", "Citoyen canadien naturalisé", "Naturalized Canadian citizen", True),
    (
        "work_permit_towards_pr",
        "Titulaire d'un permis de travail délivré en vue de l'octroi éventuel de la résidence "
        "permanente au Canada",
        "Holder of a work permit issued with a view to eventual permanent residence in Canada",
        True,
    ),
    (
        "authorized_inland",
        "Personne autorisée à soumettre sur place au Canada une demande de résidence permanente",
        "Person authorized to apply for permanent residence from within Canada",
        True,
    ),
    ("asylum_granted", "Personne ayant obtenu l'asile", "Person granted asylum", True),
    ("permanent_resident", "Résident permanent au Canada", "Permanent resident of Canada", True),
    (
        "settling_within_month",
        "Personne prévoyant s'établir au Québec comme résident permanent dans moins d'un mois",
        "Person planning to settle in Québec as a permanent resident within a month",
        True,
    ),
    ("other", "Autre", "Other", False),
]

DATA = Path(__file__).resolve().parent / "data"


def load_reference_data(immigration_status: Any, locality: Any) -> None:
    """Create what is missing; never overwrite eligibility chosen since."""
    for position, (code, fr, en, eligible) in enumerate(STATUSES, start=1):
        immigration_status.objects.get_or_create(
            code=code,
            defaults={"label_fr": fr, "label_en": en, "eligible": eligible, "position": position},
        )
    if locality.objects.exists():
        return
    # A migration's historical model may predate some columns (region, sort_key).
    columns = {f.name for f in locality._meta.get_fields()}
    locality.objects.bulk_create(
        [
            locality(**{k: v for k, v in fields.items() if k in columns})
            for fields in quebec_localities()
        ],
        ignore_conflicts=True,
    )


@cache
def quebec_localities() -> tuple[dict[str, Any], ...]:
    """The curated list (clients/data/localites.csv), with each name's French sort key."""
    from .models import collation_key

    with open(DATA / "localites.csv", encoding="utf-8", newline="") as source:
        return tuple(
            {
                "geonameid": int(row["geonameid"]),
                "name": row["name"],
                "region": row["region"],
                "sort_key": collation_key(row["name"]),
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "population": int(row["population"]),
            }
            for row in csv.DictReader(source)
        )


@cache
def fusions() -> dict[int, int]:
    """Entries of the former list folded into another locality: geonameid -> its replacement."""
    with open(DATA / "fusions.csv", encoding="utf-8", newline="") as source:
        return {int(row["geonameid"]): int(row["replaced_by"]) for row in csv.DictReader(source)}
