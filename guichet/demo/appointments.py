# ruff: noqa: E501 — demo content: long French and English sentences read better unwrapped.
"""Demo reference data for the appointment service: the seed's types, places in five cities,
and sessions over the coming weeks. Idempotent (keyed by slug, place name, start time)."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from guichet.appointments.models import (
    AppointmentType,
    FrenchRequirement,
    Place,
    Session,
    SessionModule,
)
from guichet.clients.models import Locality
from guichet.core.dates import Calendar
from guichet.organisations.models import Organisation

TYPES = [
    dict(
        slug="evaluation-comparative",
        title_fr="DÉPÔT D'UNE DEMANDE D'ÉVALUATION COMPARATIVE",
        title_en="SUBMITTING A REQUEST FOR A COMPARATIVE EVALUATION",
        description_fr="Rencontre individuelle pour déposer votre demande d'évaluation comparative des études effectuées hors du Québec.",
        description_en="Individual meeting to submit your request for a comparative evaluation of studies completed outside Québec.",
        documents_fr="Diplômes et relevés de notes originaux\nTraductions certifiées, s'il y a lieu\nPièce d'identité avec photo",
        documents_en="Original diplomas and transcripts\nCertified translations, if needed\nPhoto identification",
        duration_minutes=30,
        collective=False,
        online_reschedule=True,
        required_information=["schooling"],
    ),
    dict(
        slug="evaluation-linguistique-francisation",
        title_fr="ÉVALUATION LINGUISTIQUE - FRANCISATION",
        title_en="LANGUAGE ASSESSMENT - FRENCH COURSES",
        description_fr="Évaluation de vos compétences en français afin de vous orienter vers le cours de francisation qui vous convient.",
        description_en="Assessment of your French skills to direct you to the right French course.",
        documents_fr="Pièce d'identité avec photo\nDocument d'immigration",
        documents_en="Photo identification\nImmigration document",
        duration_minutes=90,
        collective=False,
        french_requirement=FrenchRequirement.INSUFFICIENT,
    ),
    dict(
        slug="objectif-integration",
        title_fr="Objectif Intégration",
        title_en="Objectif Intégration",
        description_fr="Session de huit modules sur les valeurs démocratiques et québécoises, le marché du travail et les démarches d'intégration.",
        description_en="Eight-module session on democratic and Québec values, the labour market and integration steps.",
        documents_fr="Aucun document n'est requis.",
        documents_en="No document is required.",
        duration_minutes=180,
        collective=True,
        french_requirement=FrenchRequirement.SUFFICIENT,
        online_reschedule=False,
        required_information=[
            "informed_by",
            "professional_domain",
            "intended_profession",
            "schooling",
        ],
    ),
    dict(
        slug="premieres-demarches",
        title_fr="Session Premières démarches d'installation",
        title_en="First steps to settle in session",
        description_fr="Séance collective sur les premières démarches à faire à votre arrivée : numéro d'assurance sociale, assurance maladie, logement, emploi.",
        description_en="Group session on the first steps after you arrive: social insurance number, health insurance, housing, employment.",
        documents_fr="Document d'immigration\nPasseport",
        documents_en="Immigration document\nPassport",
        duration_minutes=180,
        collective=True,
    ),
    dict(
        slug="vivre-en-region-abitibi-temiscamingue",
        title_fr="VIVRE EN RÉGION - ABITIBI-TÉMISCAMINGUE",
        title_en="LIVING IN THE REGIONS - ABITIBI-TÉMISCAMINGUE",
        description_fr="Information sur la vie, l'emploi et les services en Abitibi-Témiscamingue.",
        description_en="Information on life, employment and services in Abitibi-Témiscamingue.",
        duration_minutes=120,
        collective=True,
    ),
    dict(
        slug="vivre-en-region-bas-saint-laurent",
        title_fr="VIVRE EN RÉGION - BAS-SAINT-LAURENT",
        title_en="LIVING IN THE REGIONS - BAS-SAINT-LAURENT",
        description_fr="Information sur la vie, l'emploi et les services au Bas-Saint-Laurent.",
        description_en="Information on life, employment and services in Bas-Saint-Laurent.",
        duration_minutes=120,
        collective=True,
    ),
    dict(
        slug="vivre-en-region-capitale-nationale",
        title_fr="VIVRE EN RÉGION - CAPITALE-NATIONALE",
        title_en="LIVING IN THE REGIONS - CAPITALE-NATIONALE",
        description_fr="Information sur la vie, l'emploi et les services dans la région de la Capitale-Nationale.",
        description_en="Information on life, employment and services in the Capitale-Nationale region.",
        duration_minutes=120,
        collective=True,
    ),
    dict(
        slug="vivre-en-region-centre-du-quebec",
        title_fr="VIVRE EN RÉGION - CENTRE-DU-QUÉBEC",
        title_en="LIVING IN THE REGIONS - CENTRE-DU-QUÉBEC",
        description_fr="Information sur la vie, l'emploi et les services dans la région du Centre-du-Québec.",
        description_en="Information on life, employment and services in the Centre-du-Québec region.",
        duration_minutes=120,
        collective=True,
    ),
    # Seed 003's « Session de formation S'adapter au monde du travail québécois » (15 business
    # days): not in seed 000's catalogue, offered since the service commitments.
    dict(
        slug="s-adapter-monde-du-travail",
        title_fr="Session de formation S'adapter au monde du travail québécois",
        title_en="Adapting to the Québec Workplace training session",
        description_fr="Session de groupe sur les codes et les pratiques du monde du travail au Québec : recherche d'emploi, entrevue, relations au travail.",
        description_en="Group session on the codes and practices of the Québec workplace: job search, interviews, working relationships.",
        documents_fr="Document d'immigration",
        documents_en="Immigration document",
        duration_minutes=360,
        collective=True,
    ),
]

# (organisation code, place name, address, city, postal code, phone, (latitude, longitude)):
# each place at its own address, so distances and « Voir sur la carte » point at it.
PLACES = [
    (
        "siq-montreal",
        "Service-conseil — centre-ville",
        "1200, boulevard Saint-Laurent",
        "Montréal",
        "H2X 2S5",
        "514 864-9191",
        (45.5081, -73.5625),
    ),
    (
        "carrefour-montreal",
        "Carrefour — Côte-des-Neiges",
        "6767, chemin de la Côte-des-Neiges",
        "Montréal",
        "H3S 2T6",
        "514 737-3642",
        (45.5075, -73.6319),
    ),
    (
        "siq-quebec",
        "Bureau de Québec",
        "930, chemin Sainte-Foy",
        "Québec",
        "G1S 2L4",
        "418 643-1435",
        (46.8048, -71.2382),
    ),
    (
        "accueil-sherbrooke",
        "Service d'aide aux néo-Canadiens",
        "93, rue Wellington Nord",
        "Sherbrooke",
        "J1H 5B6",
        "819 566-5373",
        (45.4024, -71.8917),
    ),
    (
        "accueil-gatineau",
        "Accueil-Parrainage Outaouais",
        "124, rue Jean-Dallaire",
        "Gatineau",
        "J9A 1B6",
        "819 777-2960",
        (45.4332, -75.7363),
    ),
    (
        "accueil-laval",
        "Carrefour d'intercultures",
        "1555, boulevard Chomedey",
        "Laval",
        "H7V 3Z1",
        "450 681-4401",
        (45.5547, -73.7463),
    ),
]

# Which organisations offer which types.
OFFERS = {
    "evaluation-comparative": ["siq-montreal", "siq-quebec"],
    "evaluation-linguistique-francisation": ["siq-montreal", "siq-quebec", "accueil-sherbrooke"],
    "objectif-integration": ["carrefour-montreal", "accueil-laval", "accueil-gatineau"],
    "premieres-demarches": [
        "siq-montreal",
        "carrefour-montreal",
        "siq-quebec",
        "accueil-sherbrooke",
        "accueil-gatineau",
        "accueil-laval",
    ],
    "s-adapter-monde-du-travail": ["siq-montreal", "siq-quebec", "accueil-gatineau"],
    "vivre-en-region-abitibi-temiscamingue": ["siq-montreal"],
    "vivre-en-region-bas-saint-laurent": ["siq-montreal", "siq-quebec"],
    "vivre-en-region-capitale-nationale": ["siq-quebec"],
    "vivre-en-region-centre-du-quebec": ["siq-quebec", "accueil-sherbrooke"],
}


def load_appointments() -> dict[str, int]:
    types = {}
    for position, fields in enumerate(TYPES, start=1):
        slug = fields["slug"]
        values = {k: v for k, v in fields.items() if k != "slug"}
        types[slug], _ = AppointmentType.objects.update_or_create(
            slug=slug, defaults={**values, "position": position}
        )
    organisations = {o.code: o for o in Organisation.objects.all()}
    places = {}
    for code, name, address, city, postal_code, phone, (latitude, longitude) in PLACES:
        locality = Locality.objects.get(name=city)
        places[code], _ = Place.objects.update_or_create(
            organisation=organisations[code],
            name=name,
            defaults={
                "address": address,
                "locality": locality,
                "postal_code": postal_code,
                "phone": phone,
                "latitude": latitude,
                "longitude": longitude,
                "directions_fr": "Accessible en transport en commun; entrée accessible aux fauteuils roulants.",
                "directions_en": "Reachable by public transit; wheelchair-accessible entrance.",
                "services_fr": "Accueil, information, séances de groupe",
                "services_en": "Reception, information, group sessions",
            },
        )
    for slug, codes in OFFERS.items():
        types[slug].organisations.set([organisations[c] for c in codes])
    sessions = 0
    today = timezone.localdate()
    for slug, codes in OFFERS.items():
        kind = types[slug]
        for code in codes:
            for week in range(1, 5):
                if slug == "premieres-demarches" and code == "accueil-sherbrooke" and week == 1:
                    # Sherbrooke's first session comes after the declaration's 5 business
                    # days: « Places dans les délais » shows its alert.
                    continue
                day = today + timedelta(days=7 * week - today.weekday() + 1)  # Tuesdays
                start = timezone.make_aware(datetime.combine(day, time(9 if week % 2 else 13, 0)))
                session, created = Session.objects.get_or_create(
                    appointment_type=kind,
                    place=places[code],
                    starts_at=start,
                    defaults={
                        "organisation": organisations[code],
                        "duration_minutes": kind.duration_minutes,
                        "capacity": 25 if kind.collective else 1,
                    },
                )
                sessions += created
                if slug == "objectif-integration" and not session.modules.exists():
                    SessionModule.objects.bulk_create(
                        SessionModule(
                            session=session,
                            position=n,
                            duration_minutes=180,
                            starts_at=start + timedelta(days=(n - 1) // 2 * 7 + (n - 1) % 2 * 2),
                        )
                        for n in range(1, 9)
                    )
    _first_steps_soon(types["premieres-demarches"], places["siq-montreal"])
    _book_for_brandford(types["vivre-en-region-capitale-nationale"], places["siq-quebec"])
    _session_under_way(types["premieres-demarches"], places["carrefour-montreal"])
    _held_for_brandford(types["premieres-demarches"], places["siq-quebec"])
    return {"types": len(types), "places": len(places), "new_sessions": sessions}


def _session_under_way(kind: AppointmentType, place: Place) -> None:
    """A session of the partner's that began an hour ago with two participants, so that
    « Présence » (Complété / Manqué) can be tried in the back office (issue 13 #12). Made
    directly: booking rules refuse a session that has begun, and the demo must not wait."""
    from guichet.appointments.models import Booking
    from guichet.clients.models import Client
    from guichet.commitments import clocks

    now = timezone.localtime()
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    session = (
        Session.objects.filter(appointment_type=kind, place=place, starts_at__lte=now)
        .filter(starts_at__gte=now - timedelta(hours=kind.duration_minutes / 60))
        .first()
    )
    if session is None:
        session = Session.objects.create(
            appointment_type=kind,
            place=place,
            organisation=place.organisation,
            starts_at=start,
            duration_minutes=kind.duration_minutes,
            capacity=25,
        )
    people = Client.objects.filter(cic_client_id="71230045") | Client.objects.filter(
        reference_number="C3333726"
    )
    for person in people:
        booking, created = Booking.objects.get_or_create(
            client=person,
            session=session,
            defaults={"source": "partner", "reminder_sent_at": session.starts_at},
        )
        if created:
            Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + 1)
            # Made directly (no « booking.created »): its commitment clock, as the event's
            # subscriber would record it.
            commitment = clocks.kept_by(kind.slug)
            if commitment is not None:
                clocks.record_offer(booking, commitment)


def _book_for_brandford(kind: AppointmentType, place: Place) -> None:
    """Bernard Brandford (seed 000) holds one upcoming appointment in Québec, booked online."""
    from guichet.appointments.models import Booking, BookingStatus
    from guichet.appointments.services import book
    from guichet.clients.models import Client
    from guichet.core.refusals import Refused

    brandford = Client.objects.filter(cic_client_id="58200462").select_related("user").first()
    if brandford is None or brandford.user is None:
        return
    if Booking.objects.filter(client=brandford, status=BookingStatus.BOOKED).exists():
        return
    # The last of the four weeks: the first weeks' slots (the same hours everywhere) stay free
    # for him to try « Prendre un rendez-vous » without overlapping this one.
    session = (
        Session.objects.filter(
            appointment_type=kind, place=place, starts_at__gt=timezone.now() + timedelta(days=2)
        )
        .order_by("-starts_at")
        .first()
    )
    if session is not None:
        with suppress(Refused):  # full or not eligible: the demo goes on without it
            book(client=brandford, session=session, actor=brandford.user)


def _first_steps_soon(kind: AppointmentType, place: Place) -> None:
    """A first-steps session two business days ahead in Montréal: within the declaration's 5
    days there, while the other cities' Tuesday sessions come later (« Places dans les
    délais » shows both)."""
    day = Calendar.around(timezone.localdate()).add_business_days(timezone.localdate(), 2)
    start = timezone.make_aware(datetime.combine(day, time(13, 30)))
    Session.objects.get_or_create(
        appointment_type=kind,
        place=place,
        starts_at=start,
        defaults={
            "organisation": place.organisation,
            "duration_minutes": kind.duration_minutes,
            "capacity": 25,
        },
    )


def _held_for_brandford(kind: AppointmentType, place: Place) -> None:
    """Bernard Brandford attended a first-steps session ten days ago (« Complété »): « Mes
    rendez-vous » offers him « Donner mon avis », the satisfaction survey (seed 003). Made
    directly: the booking rules refuse a session in the past."""
    from guichet.appointments.models import Booking, BookingStatus
    from guichet.clients.models import Client

    brandford = Client.objects.filter(cic_client_id="58200462").first()
    if (
        brandford is None
        or Booking.objects.filter(client=brandford, status=BookingStatus.COMPLETED).exists()
    ):
        return
    day = timezone.localdate() - timedelta(days=10)
    start = timezone.make_aware(datetime.combine(day, time(9, 0)))
    session, _ = Session.objects.get_or_create(
        appointment_type=kind,
        place=place,
        starts_at=start,
        defaults={
            "organisation": place.organisation,
            "duration_minutes": kind.duration_minutes,
            "capacity": 25,
            "seats_taken": 1,
        },
    )
    held, _ = Booking.objects.get_or_create(
        client=brandford,
        session=session,
        defaults={
            "source": "client",
            "status": BookingStatus.COMPLETED,
            "reminder_sent_at": start,
        },
    )
    # Asked for three business days before the session, a seat offered on its day: its
    # commitment clock, met (made directly, like the booking: no « booking.created » event).
    from guichet.commitments import clocks

    calendar = Calendar.around(day - timedelta(days=10))
    asked = day
    for _step in range(3):
        asked -= timedelta(days=1)
        while not calendar.is_business_day(asked):
            asked -= timedelta(days=1)
    commitment = clocks.kept_by(kind.slug)
    if commitment is not None and clocks.latest(commitment.code, held) is None:
        clocks.stop(clocks.start(commitment.code, held, received_on=asked), on=day)
