"""Demo data for the embedded demo (`make run`, `make demo`). Idempotent: running it again
updates the same rows. Never used in production: it refuses to run when DEBUG is off."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from guichet.accounts.models import Role, User
from guichet.organisations.models import Organisation, OrganisationKind

ORGANISATIONS = [
    (
        "siq-montreal",
        "Service-conseil aux candidats à l'immigration",
        OrganisationKind.MINISTRY_OFFICE,
    ),
    ("siq-quebec", "Bureau du Ministère à Québec", OrganisationKind.MINISTRY_OFFICE),
    ("carrefour-montreal", "Carrefour d'aide aux nouveaux arrivants", OrganisationKind.PARTNER),
    (
        "accueil-sherbrooke",
        "Service d'aide aux néo-Canadiens de Sherbrooke",
        OrganisationKind.PARTNER,
    ),
    ("accueil-gatineau", "Accueil-Parrainage Outaouais", OrganisationKind.PARTNER),
    ("accueil-laval", "Carrefour d'intercultures de Laval", OrganisationKind.PARTNER),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    organisation_code: str | None
    first_name: str
    last_name: str


# Published demo credentials (README): they exist only in a DEBUG database.
ACCOUNTS = [
    DemoAccount("demoClient1", "Demo2026client", Role.CLIENT, None, "Amina", "Diallo"),
    DemoAccount("demoEmploy1", "Demo2026Employ", Role.EMPLOYER, None, "Marc", "Tremblay"),
    DemoAccount(
        "demoPartner1",
        "Demo2026partner",
        Role.PARTNER_STAFF,
        "carrefour-montreal",
        "Lucie",
        "Gagnon",
    ),
    DemoAccount(
        "demoAgent001", "Demo2026agent", Role.MINISTRY_STAFF, "siq-montreal", "Karim", "Benali"
    ),
    DemoAccount("demoAdmin001", "Demo2026admin", Role.ADMIN, None, "Sophie", "Roy"),
]


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    organisations: dict[str, Organisation] = {}
    for code, name, kind in ORGANISATIONS:
        organisations[code], _ = Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "is_active": True}
        )
    for account in ACCOUNTS:
        user = User.objects.filter(username__iexact=account.username).first() or User(
            username=account.username
        )
        user.role = account.role
        user.organisation = (
            organisations[account.organisation_code] if account.organisation_code else None
        )
        user.first_name = account.first_name
        user.last_name = account.last_name
        user.email = f"{account.username.lower()}@demo.guichet.example"
        user.is_staff = account.role == Role.ADMIN
        user.is_superuser = account.role == Role.ADMIN
        user.set_password(account.password)
        user.save()
    return {"organisations": len(organisations), "accounts": len(ACCOUNTS)}
