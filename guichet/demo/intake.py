"""The demo's Mon projet Québec (seed 002): a period open now with a small quota and its
waiting room open, another about to open (one hour per visit before it, its waiting room
ready), `demoCandidat1` with an application ready to submit through the room, `demoCandidat2`
with one submitted (through the room) and waiting for its fees, `demoCandidat3` with an
unconfirmed email and an incomplete application (told so at the room's door), `demoCandidat4`
« En vérification » (a job offer no record confirms); `demoAgent001` is an intake officer.
Idempotent: loading again leaves what the demo user did alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.accounts.models import SecurityAnswer, SecurityQuestion, User
from guichet.core.actor import as_actor
from guichet.dossiers.models import Dossier
from guichet.intake import eligibility, quota, services
from guichet.intake.models import Allocation, IntakePeriod
from guichet.waitingroom import services as waiting_room
from guichet.waitingroom.models import Room, RoomStatus

from .intake_data import example_application

# Published in the README with the accounts.
PASSWORD = "Projet2026Qc"  # noqa: S105 (public demo password)
ANSWERS = [(SecurityQuestion.FIRST_FLIGHT, "Montreal"), (SecurityQuestion.FIRST_PET, "Minou")]
CANDIDATES: list[tuple[str, dict[str, Any]]] = [
    ("demoCandidat1", {}),
    (
        "demoCandidat2",
        {"last_name": "Weber", "first_name": "Jonas", "passport": "DE5566778", "children": 0},
    ),
    (
        "demoCandidat3",
        {"last_name": "Rossi", "first_name": "Sofia", "passport": "IT4455667", "children": 0},
    ),
    (
        "demoCandidat4",
        {"last_name": "Haddad", "first_name": "Amir", "passport": "LB7788990", "children": 0},
    ),
]
# Never opened the link sent to the address (the room asks for a confirmed email).
UNCONFIRMED = {"demoCandidat3"}


def _candidate(username: str) -> User:
    """The account (made with the others); its two security answers (README)."""
    user = User.objects.get(username__iexact=username)
    if user.email_verified_at is None and username not in UNCONFIRMED:
        # The link was opened (one account per email, seed 002).
        User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
        user.refresh_from_db(fields=["email_verified_at"])
    SecurityAnswer.objects.filter(user=user).delete()
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, position=n, question=q, answer_hash=make_password(a))
        for n, (q, a) in enumerate(ANSWERS, start=1)
    )
    return user


def load_intake() -> None:
    now = timezone.now()
    officer = User.objects.filter(username="demoAgent001").first()
    if officer is not None:
        User.objects.filter(pk=officer.pk).update(handles_intake=True)
    if not IntakePeriod.objects.filter(closes_at__gt=now, opens_at__lte=now).exists():
        IntakePeriod.objects.create(
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=30),
            quota=5,
            waiting_room=True,
            created_by=officer,
        )
    if not IntakePeriod.objects.filter(opens_at__gt=now).exists():
        opens = timezone.localtime(now + timedelta(days=45)).replace(
            hour=8, minute=30, second=0, microsecond=0
        )
        IntakePeriod.objects.create(
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
            quota=5050,
            visit_minutes=60,
            waiting_room=True,
            # Drawn by lot: a pre-queue opens the day before; the seed's digest is public.
            allocation=Allocation.LOTTERY,
            created_by=officer,
        )
    # The open period's room was opened by the officer at the opening; the other one waits.
    for period in IntakePeriod.objects.filter(closes_at__gt=now, waiting_room=True):
        room = waiting_room.room_of(period)
        if period.opens_at <= now and room.status == RoomStatus.READY:
            waiting_room.change_room(actor=as_actor(officer), period=period, action="open")
        elif period.allocation == Allocation.LOTTERY and room.pre_queue_opens_at is None:
            Room.objects.filter(pk=room.pk).update(
                pre_queue_opens_at=period.opens_at - timedelta(days=1)
            )
    for username, identity in CANDIDATES:
        user = _candidate(username)
        if Dossier.objects.filter(owner=user, kind="csq").exists():
            continue
        dossier = services.start(actor=user)
        data = example_application(**identity)
        data["requerant"]["email"] = user.email
        if username == "demoCandidat3":
            data.pop("langues", None)  # « Connaissances linguistiques » still to fill
            data.pop("autonomie", None)
        if username == "demoCandidat4":
            data["offre"] = {
                "has_offer": "oui",
                "offer_number": "A0999999",
                "employer": "Érablière du Nord",
                "job_title": "Technicien agricole",
                "city": "Saint-Jérôme",
            }
        dossier.data = {**dossier.data, **data}
        dossier.save(update_fields=["data"])
        eligibility.refresh(dossier)
        message = ""
        if username == "demoCandidat2":
            # Admitted from the room: its reservation becomes the place at submission.
            current = IntakePeriod.objects.filter(closes_at__gt=now, opens_at__lte=now).first()
            if current is not None and current.waiting_room:
                quota.reserve(period=current, user=user)
        elif username == "demoCandidat4":
            message = "Mon employeur a reçu le numéro par courriel du Portail des employeurs."
        if username in ("demoCandidat2", "demoCandidat4"):
            services.submit(
                dossier=dossier,
                actor=user,
                user_code=username,
                password=PASSWORD,
                answers={str(q): a for q, a in ANSWERS},
                message=message,
            )
