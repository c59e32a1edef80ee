"""A complete CSQ application, as the demo and the tests fill it: a principal applicant with a
spouse, two children, two diplomas and two jobs (seed 002; issue 17)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def example_application(
    *,
    last_name: str = "Moreau",
    first_name: str = "Camille",
    birth_date: str = "1990-04-12",
    passport: str = "FR1234567",
    children: int = 2,
    today: date | None = None,
) -> dict[str, dict[str, Any]]:
    today = today or date.today()
    test_date = (today - timedelta(days=200)).isoformat()
    kids = [
        {
            "last_name": last_name,
            "first_name": name,
            "sex": sex,
            "birth_date": born,
            "citizenship": "FR",
            "accompanies": "oui",
        }
        for name, sex, born in (("Léa", "F", "2016-09-03"), ("Noé", "M", "2019-02-21"))[:children]
    ]
    return {
        "requerant": {
            "last_name": last_name,
            "first_name": first_name,
            "sex": "F",
            "birth_date": birth_date,
            "birth_country": "FR",
            "citizenship": "FR",
            "passport_number": passport,
            "passport_country": "FR",
            "passport_expiry": (today + timedelta(days=3 * 365)).isoformat(),
            "email": "camille.moreau@example.org",
            "phone": "+33 6 12 34 56 78",
            "address": "12, rue des Lilas",
            "city": "Lyon",
            "country": "FR",
            "postal_code": "69003",
            "marital_status": "marie",
        },
        "conjoint": {
            "has_spouse": "oui",
            "last_name": "Girard",
            "first_name": "Julien",
            "sex": "M",
            "birth_date": "1988-11-30",
            "citizenship": "FR",
            "passport_number": "FR7654321",
            "accompanies": "oui",
        },
        "enfants": {"has_children": "oui" if kids else "non", "enfants": kids},
        "etudes": {
            "years_of_schooling": "17",
            "diplomes": [
                {
                    "title": "Baccalauréat général",
                    "level": "secondaire_general",
                    "field_of_study": "Sciences",
                    "institution": "Lycée Ampère",
                    "country": "FR",
                    "obtained_on": "2008-07-04",
                },
                {
                    "title": "Master en génie civil",
                    "level": "universitaire_2",
                    "field_of_study": "Génie civil",
                    "institution": "INSA Lyon",
                    "country": "FR",
                    "obtained_on": "2013-06-28",
                },
            ],
        },
        "experience": {
            "has_experience": "oui",
            "emplois": [
                {
                    "title": "Ingénieure en structures",
                    "employer": "Bâtiments du Rhône",
                    "country": "FR",
                    "started_on": "2013-09-02",
                    "ended_on": "2019-08-30",
                    "hours_per_week": "38",
                },
                {
                    "title": "Cheffe de projet",
                    "employer": "Ouvrages Lyonnais",
                    "country": "FR",
                    "started_on": "2019-09-02",
                    "ended_on": "",
                    "hours_per_week": "40",
                },
            ],
        },
        "langues": {
            "french_test": "aucun",
            "french_date": "",
            "french_co": "",
            "french_ce": "",
            "french_eo": "",
            "french_ee": "",
            "english_test": "ielts",
            "english_date": test_date,
            "english_co": "B2",
            "english_ce": "B2",
            "english_eo": "B1",
            "english_ee": "B1",
        },
        "quebec": {
            "temporary_resident": "non",
            "has_stayed": "oui",
            "has_family": "non",
            "family_relation": "",
            "family_city": "",
            "sejours": [{"started_on": "2018-07-01", "ended_on": "2018-07-21", "reason": "visite"}],
        },
        "offre": {
            "has_offer": "non",
            "offer_number": "",
            "employer": "",
            "job_title": "",
            "city": "",
        },
        "autonomie": {"available_funds": "25000", "commitment": "on"},
        "representant": {
            "kind": "aucun",
            "last_name": "",
            "first_name": "",
            "member_number": "",
            "email": "",
            "signs": "",
        },
        "declaration": {"accurate": "on", "consequences": "on", "verification": "on"},
    }
