"""The demo's fee schedule: « Frais permis travail sans EIMT » as seed 004 shows it (230 $), and
the CSQ application's fees, configurable, whose demo values are examples (the pages say so)."""

from __future__ import annotations

from datetime import date

from guichet.payments.models import Fee, FeeRate

Period = tuple[date, date | None, int, bool]

FEES: list[tuple[str, str, str, list[Period]]] = [
    # code, French label, English label, [(from, until, cents, example)]
    (
        "permis-travail-sans-eimt",
        "Frais permis travail sans EIMT",
        "Work permit fee without LMIA",
        [(date(2018, 1, 1), None, 23000, False)],
    ),
    (
        "csq-requerant-principal",
        "Demande de CSQ — requérant principal",
        "CSQ application — principal applicant",
        [
            (date(2026, 1, 1), date(2027, 1, 1), 86600, True),
            (date(2027, 1, 1), None, 89200, True),
        ],
    ),
    (
        "csq-personne-a-charge",
        "Demande de CSQ — conjoint ou enfant à charge",
        "CSQ application — spouse or dependent child",
        [
            (date(2026, 1, 1), date(2027, 1, 1), 18500, True),
            (date(2027, 1, 1), None, 19100, True),
        ],
    ),
]


def load_fees() -> int:
    for code, label_fr, label_en, periods in FEES:
        fee, _ = Fee.objects.update_or_create(
            code=code, defaults={"label_fr": label_fr, "label_en": label_en}
        )
        for start, end, cents, example in periods:
            FeeRate.objects.update_or_create(
                fee=fee,
                valid_from=start,
                defaults={"valid_until": end, "amount_cents": cents, "is_example": example},
            )
    return len(FEES)
