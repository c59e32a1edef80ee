"""Helpers to build dossiers in tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from guichet.accounts.models import PersonalProfile, Role, User
from guichet.accounts.tests.factories import UserFactory, with_two_factor
from guichet.clients.models import Locality
from guichet.core.events import delivered
from guichet.dossiers import services
from guichet.dossiers.kinds.accompagnement.kind import ACCOMPAGNEMENT_QUEBEC
from guichet.dossiers.models import Dossier

IDENTIFICATION = {
    "immigration_status": "citizen",
    "detail_permanent_resident": "",
    "detail_citizen": "citizen_selected",
    "detail_temporary_resident": "",
    "has_mifi_number": "oui",
    "mifi_number": "8765A321",
    "has_ircc_number": "oui",
    "ircc_number": "12345678",
}


def first_appointment(**overrides: Any) -> dict[str, Any]:
    city = Locality.objects.filter(name="Montréal").first() or Locality.objects.first()
    assert city is not None
    return {
        "city": str(city.pk),
        "appointment_mode": "virtual",
        "french_sufficient": "oui",
        "languages": [],
        "other_language": "",
        "availability": ["mon_am"],
    } | overrides


def with_profile(user: User | None = None, **overrides: Any) -> User:
    user = user or UserFactory.create(role=Role.CLIENT)
    values = {
        "passport_last_name": "Valdero",
        "passport_first_name": "Maria",
        "sex": "F",
        "birth_date": date(2000, 1, 1),
        "birth_city": "Paris",
        "birth_country": "FR",
        "address_line1": "20 rue Monge",
        "country": "FR",
        "city": "Paris",
        "postal_code": "75005",
        "home_phone_code": "33",
        "home_phone": "55555555",
    } | overrides
    PersonalProfile.objects.update_or_create(user=user, defaults=values)
    return user


def draft(owner: User | None = None) -> Dossier:
    owner = owner or with_profile()
    return services.create(kind=ACCOMPAGNEMENT_QUEBEC, actor=owner, answers={"document": "csq"})


def complete(dossier: Dossier) -> Dossier:
    assert dossier.owner is not None
    services.save_section(
        dossier=dossier, section_key="identification", raw=IDENTIFICATION, actor=dossier.owner
    )
    return services.save_section(
        dossier=dossier,
        section_key="premier_rendez_vous",
        raw=first_appointment(),
        actor=dossier.owner,
    )


def submitted(owner: User | None = None) -> Dossier:
    dossier = complete(draft(owner))
    assert dossier.owner is not None
    with delivered():  # its commitment's clock starts, as after the commit
        return services.submit(dossier=dossier, actor=dossier.owner)


def agent() -> User:
    return with_two_factor(
        UserFactory.create(role=Role.MINISTRY_STAFF, first_name="Karim", last_name="Benali")
    )
