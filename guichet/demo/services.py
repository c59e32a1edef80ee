"""Demo data for the embedded demo (`make run`, `make demo`). Idempotent: running it again
updates the same rows. Never used in production: it refuses to run when DEBUG is off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import (
    Role,
    SecurityAnswer,
    SecurityQuestion,
    TwoFactorDevice,
    User,
)
from guichet.clients.models import Client, ImmigrationStatus, Locality
from guichet.clients.services import CLIENT_NUMBER_FIRST, CLIENT_NUMBER_LAST
from guichet.core.actor import Source
from guichet.numbering.services import next_value
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
    # Seed 000's example client: profile created and registered to the Service.
    DemoAccount("BrAnDfOrD04", "Lecture2026", Role.CLIENT, None, "Bernard", "Brandford"),
    DemoAccount("demoClient1", "Demo2026client", Role.CLIENT, None, "Amina", "Diallo"),
    # Seed 002's Mon projet Québec: two candidates (security answers in demo/intake.py).
    DemoAccount("demoCandidat1", "Projet2026Qc", Role.CLIENT, None, "Camille", "Moreau"),
    DemoAccount("demoCandidat2", "Projet2026Qc", Role.CLIENT, None, "Jonas", "Weber"),
    # Its email not confirmed and its application incomplete: told so at the room's door.
    DemoAccount("demoCandidat3", "Projet2026Qc", Role.CLIENT, None, "Sofia", "Rossi"),
    # A job offer no record confirms: its application is « En vérification » for an officer.
    DemoAccount("demoCandidat4", "Projet2026Qc", Role.CLIENT, None, "Amir", "Haddad"),
    # Seed 004's employers' portal: CléGC user names and passwords (gckey policy).
    DemoAccount("demoEmploy1", "Portail2026Qc", Role.EMPLOYER, None, "Marc", "Tremblay"),
    DemoAccount("demoEmploy2", "Portail2026Qc", Role.EMPLOYER, None, "Julie", "Gagnon"),
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
    # Seed 003's « Commissaire aux plaintes et à la qualité des services »: the only account
    # that sees complaints (demo/commitments.py gives it the role).
    DemoAccount(
        "demoCommissaire", "Demo2026plaintes", Role.MINISTRY_STAFF, "siq-montreal", "Hélène", "Côté"
    ),
    DemoAccount("demoAdmin001", "Demo2026admin", Role.ADMIN, None, "Sophie", "Roy"),
]


DEMO_TOTP_SECRET = "GUICHETDEMOSTAFFTOTPSECRETKEY234"  # noqa: S105 (public demo secret)


PAYMENTS_OFFICER = "demoAgent001"


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
        user.must_change_password = False
        user.is_staff = account.role == Role.ADMIN
        user.is_superuser = account.role == Role.ADMIN
        # The demo's agent alone holds the payments role (issue 15; README): « Paiements » in
        # the office. Not the commissioner or the other ministry accounts.
        user.handles_payments = account.username == PAYMENTS_OFFICER
        user.set_password(account.password)
        user.save()
        if user.is_staff_member:
            # Staff must use a second factor; the demo's secrets are public (README) and
            # `manage.py demo_totp_code USER` prints the current code.
            TwoFactorDevice.objects.update_or_create(
                user=user,
                defaults={
                    "secret": DEMO_TOTP_SECRET,
                    "confirmed_at": timezone.now(),
                    "last_step": 0,
                },
            )
    _load_clients()
    from .appointments import load_appointments

    load_appointments()
    from .dossiers import load_dossiers

    load_dossiers()
    from .payments import load_fees

    load_fees()
    from .employers import load_employers

    load_employers()
    from .intake import load_intake

    load_intake()
    from .commitments import load_commitments

    load_commitments()
    return {"organisations": len(organisations), "accounts": len(ACCOUNTS)}


def _client(lookup: dict[str, str], values: dict[str, object]) -> Client:
    client = Client.objects.filter(**lookup).first()
    if client is None:
        number = next_value("client_number", first=CLIENT_NUMBER_FIRST, last=CLIENT_NUMBER_LAST)
        client = Client(client_number=f"{number:05d}")
    for field, value in {**lookup, **values}.items():
        setattr(client, field, value)
    client.save()
    return client


def _load_clients() -> None:
    resident = ImmigrationStatus.objects.get(code="permanent_resident")
    brandford = User.objects.get(username__iexact="BrAnDfOrD04")
    if not brandford.security_answers.exists():
        SecurityAnswer.objects.bulk_create(
            [
                SecurityAnswer(
                    user=brandford,
                    position=1,
                    question=SecurityQuestion.FIRST_FLIGHT,
                    answer_hash=make_password("Nairobi Kenya"),
                ),
                SecurityAnswer(
                    user=brandford,
                    position=2,
                    question=SecurityQuestion.HOBBY,
                    answer_hash=make_password("Lecture"),
                ),
            ]
        )
    # Seed 000 §4.6, « Nouveau client »: registered online with his CIC client id.
    _client(
        {"cic_client_id": "58200462"},
        {
            "user": brandford,
            "status": resident,
            "status_granted_on": date(2012, 9, 13),
            "last_name": "Brandford",
            "first_name": "Bernard",
            "birth_date": date(1978, 5, 5),
            "sex": "M",
            "email": brandford.email,
            "street_number": "600",
            "street": "10e Rue",
            "locality": Locality.objects.get(name="Québec"),
            "postal_code": "G1J 2N7",
            "phone_home": "418 832-4444",
            "french_sufficient": True,
            "informed_by": "embassy",
            "professional_domain": "Infirmier",
            "intended_profession": "Infirmier",
            "schooling": "15-16",
            "declaration_accepted_at": timezone.now(),
            "consents_to_partner_access": True,
        },
    )
    # Seed 000 §4.6, « Client existant »: known to the ministry, no consultation profile yet.
    _client(
        {"reference_number": "C3333726"},
        {
            "status": resident,
            "status_granted_on": date(2019, 6, 3),
            "last_name": "Diablos",
            "first_name": "Draco",
            "birth_date": date(1980, 10, 1),
            "sex": "M",
            "email": "draco.diablos@demo.guichet.example",
            "source": Source.MINISTRY,
            "locality": Locality.objects.get(name="Montréal"),
        },
    )
    # Registered by the Carrefour (the demo partner), no profile yet: a participant of the
    # session under way, and a name to find without its accents (« belanger-cote »).
    _client(
        {"cic_client_id": "71230045"},
        {
            "status": resident,
            "status_granted_on": date(2023, 4, 17),
            "last_name": "Bélanger-Côté",
            "first_name": "Amélie",
            "birth_date": date(1991, 3, 14),
            "sex": "F",
            "email": "amelie.belanger@demo.guichet.example",
            "source": Source.PARTNER,
            "registered_by_organisation": Organisation.objects.get(code="carrefour-montreal"),
            "locality": Locality.objects.get(name="Montréal"),
            "street_number": "6767",
            "street": "chemin de la Côte-des-Neiges",
            "postal_code": "H3S 2T6",
            "phone_home": "514 555-0142",
            "french_sufficient": True,
        },
    )
