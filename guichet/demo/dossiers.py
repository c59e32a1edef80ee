"""Demo dossiers: the personal information of the demo clients, and a dossier the ministry
opened for « Gunter DiCaprio » (seed 001 §3) that demoClient1 can link after entering that
identity in « Renseignements personnels »."""

from __future__ import annotations

from datetime import date

from guichet.accounts.models import PersonalProfile, User
from guichet.dossiers import services
from guichet.dossiers.kinds.accompagnement.kind import ACCOMPAGNEMENT_QUEBEC
from guichet.dossiers.models import Dossier

PROFILES = {
    "BrAnDfOrD04": {
        "passport_last_name": "Brandford",
        "passport_first_name": "Bernard",
        "sex": "M",
        "birth_date": date(1988, 4, 12),
        "birth_city": "Nairobi",
        "birth_country": "KE",
        "address_line1": "1200, boulevard Saint-Laurent",
        "country": "CA",
        "province": "Québec",
        "city": "Montréal",
        "postal_code": "H2X 2S5",
        "mobile_phone_code": "1",
        "mobile_phone": "5148649191",
    },
}


def load_dossiers() -> None:
    for username, values in PROFILES.items():
        user = User.objects.get(username__iexact=username)
        PersonalProfile.objects.update_or_create(user=user, defaults=values)
    User.objects.filter(role="ministry_staff", work_phone="").update(work_phone="514 864-9191")
    if not Dossier.objects.filter(last_name="DiCaprio").exists():
        agent = User.objects.get(username__iexact="demoAgent001")
        services.open_for_person(
            kind=ACCOMPAGNEMENT_QUEBEC,
            first_name="Gunter",
            last_name="DiCaprio",
            sex="M",
            birth_date=date(1970, 7, 1),
            actor=agent,
        )
