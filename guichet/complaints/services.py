"""Complaints, comments and suggestions (seed 003 « Vos commentaires sont précieux », SPEC H3).

Anyone sends one, signed in or not. The commissioner acknowledges it within 2 business days and
answers within 10: two commitment clocks started on the date of receipt. What the commissioner
writes is kept with the complaint; the person is told by email that a message waits, never what
it says. Every read by the commissioner's members is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.accounts import throttle
from guichet.accounts.models import Role, User
from guichet.appointments.models import Booking
from guichet.commitments import clocks
from guichet.core.actor import Actor, as_actor
from guichet.core.email import send_templated_email, site_url
from guichet.core.i18n import in_languages
from guichet.core.refusals import Refused
from guichet.core.transitions import step
from guichet.dossiers.models import Dossier
from guichet.numbering.services import next_value

from .models import (
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintMessage,
    MessageKind,
    Outcome,
    Status,
)
from .selectors import follow_key, is_commissioner
from .trail import record

ACKNOWLEDGEMENT = "complaint-acknowledgement"  # « Accusé de réception », 2 business days
ANSWER = "complaint-answer"  # « Réponse », 10 business days
TOPIC = "complaints"  # the person's message-centre thread of notices about them


def _number(today: Any) -> str:
    value = next_value(f"complaint-{today.year}", first=1, last=999_999)
    return f"PL-{today.year}-{value:06d}"


def _refuse_unless_commissioner(actor: Actor, complaint: Complaint) -> None:
    if not is_commissioner(actor) or not complaint.counted:
        raise Refused("not_commissioner", _("Seul le Commissaire traite les plaintes."))


@transaction.atomic
def submit(
    *,
    actor: Actor | User | None,
    kind: str,
    subject: str,
    body: str,
    name: str = "",
    email: str = "",
    language: str = "fr",
    about: Booking | Dossier | None = None,
) -> Complaint:
    """Record what the person sent and start both clocks on today's date (the date of receipt).
    `about` must be one of the person's own (the form offers only those)."""
    actor = as_actor(actor)
    user = actor.user
    if user is not None and user.role not in (Role.CLIENT, Role.EMPLOYER):
        user = None  # staff write as anyone else: with a name and an email
    if user is None and not email:
        raise Refused(
            "email_required",
            _("Indiquez votre courriel : nous vous y avertirons de notre réponse."),
            field="email",
        )
    limits = rates(actor, user, email)
    if throttle.rate_reached(limits):
        raise Refused(
            "too_many",
            _(
                "Vous nous avez déjà écrit plusieurs fois en peu de temps. Votre message n'est "
                "pas envoyé : réessayez plus tard, ou téléphonez-nous."
            ),
        )
    today = timezone.localdate()
    complaint = Complaint.objects.create(
        number=_number(today),
        kind=kind,
        author=user,
        name="" if user else name.strip(),
        email="" if user else email.strip(),
        language=user.preferred_language if user else language,
        about_booking=about if isinstance(about, Booking) else None,
        about_dossier=about if isinstance(about, Dossier) else None,
        subject=subject.strip(),
        body=body.strip(),
        received_on=today,
    )
    record(actor, "complaint.submitted", complaint, details={"kind": kind})
    throttle.count(limits)
    if user is None:
        # Counted once the email is confirmed: until then no clock runs, nobody reads it.
        transaction.on_commit(lambda: send_receipt.enqueue(complaint_id=complaint.pk))
    else:
        _start_clocks(complaint, today)
    return complaint


def rates(actor: Actor, user: User | None, email: str) -> list[throttle.Rate]:
    """What one sender may send: per address, and per account or per email given."""
    sender = f"account:{user.pk}" if user is not None else throttle.email_subject(email)
    return [
        *throttle.ip_rate(
            "complaints", actor.ip, settings.COMPLAINTS_PER_IP, settings.COMPLAINTS_PER_IP_SECONDS
        ),
        throttle.Rate(
            "complaints",
            sender,
            settings.COMPLAINTS_PER_SENDER,
            settings.COMPLAINTS_PER_SENDER_SECONDS,
        ),
    ]


def _start_clocks(complaint: Complaint, received_on: Any) -> None:
    clocks.start(ACKNOWLEDGEMENT, complaint, received_on=received_on)
    clocks.start(ANSWER, complaint, received_on=received_on)


@transaction.atomic
def confirm_email(*, actor: Actor | User | None, complaint: Complaint) -> Complaint:
    """« Confirmer mon adresse et transmettre mon message », on the page the emailed link opens:
    the message counts from today (its date of receipt), and both clocks start."""
    actor = as_actor(actor)
    row = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if row.counted:
        return row
    today = timezone.localdate()
    row.email_confirmed_at, row.received_on = timezone.now(), today
    row.save(update_fields=["email_confirmed_at", "received_on"])
    _start_clocks(row, today)
    record(actor, "complaint.email_confirmed", row)
    return row


def send_fresh_links(*, actor: Actor | User | None, email: str) -> bool:
    """« Recevoir un nouveau lien »: each message sent from this email in the last year gets a
    fresh link by email, and the links sent before stop working. Says nothing of whether there
    was any (the page answers the same); False when the sender has asked too often."""
    actor = as_actor(actor)
    limits = [
        *throttle.ip_rate("complaint-links", actor.ip, settings.COMPLAINTS_PER_IP, 3600),
        throttle.Rate(
            "complaint-links", throttle.email_subject(email), settings.COMPLAINTS_PER_SENDER, 3600
        ),
    ]
    if throttle.rate_reached(limits):
        return False
    throttle.count(limits)
    since = timezone.now() - timedelta(days=365)
    found = list(
        Complaint.objects.filter(
            author__isnull=True, email__iexact=email.strip(), created_at__gte=since
        ).order_by("-created_at")[:5]
    )
    for complaint in found:
        with transaction.atomic():
            Complaint.objects.filter(pk=complaint.pk).update(link_version=F("link_version") + 1)
            record(actor, "complaint.link_sent", complaint)
            transaction.on_commit(
                lambda pk=complaint.pk: send_receipt.enqueue(complaint_id=pk)  # type: ignore[misc]
            )
    return True


def purge_unconfirmed(*, now: Any = None) -> int:
    """Messages sent without an account whose email was never confirmed are deleted after
    COMPLAINT_UNCONFIRMED_DAYS days: nobody read them, and they carry a name and an email."""
    limit = (now or timezone.now()) - timedelta(days=settings.COMPLAINT_UNCONFIRMED_DAYS)
    stale = Complaint.objects.filter(
        author__isnull=True, email_confirmed_at__isnull=True, created_at__lt=limit
    )
    deleted, _by_model = stale.delete()
    return deleted


def follow_up(complaint: Complaint) -> dict[str, Any]:
    """What a complaint's page shows beside it, to the person and to the commissioner: the
    messages sent and the two clocks."""
    return {
        "complaint": complaint,
        "sent": list(complaint.messages.all()),
        "acknowledgement": clocks.latest(ACKNOWLEDGEMENT, complaint),
        "answer": clocks.latest(ANSWER, complaint),
    }


def read(actor: Actor | User, complaint: Complaint) -> None:
    """A member of the commissioner's office opened the complaint: recorded, every time."""
    record(actor, "complaint.read", complaint)


def default_text(complaint: Complaint, kind: str) -> str:
    """The text the commissioner starts from, in the person's language."""
    with translation.override(complaint.language):
        due = clocks.running(ANSWER, complaint)
        if kind == MessageKind.ACKNOWLEDGEMENT:
            return _(
                "Nous avons bien reçu votre message no %(number)s du %(received)s. Le "
                "Commissaire aux plaintes et à la qualité des services le traite en toute "
                "confidentialité. Vous recevrez notre réponse au plus tard le %(due)s."
            ) % {
                "number": complaint.number,
                "received": complaint.received_on.strftime("%Y-%m-%d"),
                "due": due.due_on.strftime("%Y-%m-%d") if due else "",
            }
        return complaint.draft_answer


def _write(actor: Actor, complaint: Complaint, kind: MessageKind, body: str) -> ComplaintMessage:
    body = body.strip()
    if not body:
        raise Refused("empty_message", _("Écrivez votre message."), field="body")
    assert actor.user is not None  # a commissioner's member
    message = ComplaintMessage.objects.create(
        complaint=complaint, kind=kind, body=body, author=actor.user
    )
    transaction.on_commit(lambda: notify.enqueue(complaint_id=complaint.pk))
    return message


@transaction.atomic
def acknowledge(*, actor: Actor | User, complaint: Complaint, body: str) -> ComplaintMessage:
    """« Accusé de réception »: stops the 2-day clock."""
    actor = as_actor(actor)
    _refuse_unless_commissioner(actor, complaint)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != Status.RECEIVED:
        raise Refused("already_acknowledged", _("La réception est déjà confirmée."))
    message = _write(actor, complaint, MessageKind.ACKNOWLEDGEMENT, body)
    step(
        complaint, COMPLAINT_TRANSITIONS, "acknowledge", actor=actor, acknowledged_at=timezone.now()
    )
    _stop(ACKNOWLEDGEMENT, complaint)
    record(actor, "complaint.acknowledged", complaint)
    return message


@transaction.atomic
def save_draft(*, actor: Actor | User, complaint: Complaint, body: str) -> Complaint:
    """« Enregistrer le projet de réponse »: kept, not sent."""
    actor = as_actor(actor)
    _refuse_unless_commissioner(actor, complaint)
    if complaint.status not in (Status.RECEIVED, Status.ACKNOWLEDGED):
        raise Refused("already_answered", _("La réponse est déjà envoyée."))
    complaint.draft_answer = body.strip()
    complaint.save(update_fields=["draft_answer"])
    record(actor, "complaint.draft_saved", complaint)
    return complaint


@transaction.atomic
def send_answer(*, actor: Actor | User, complaint: Complaint, body: str) -> ComplaintMessage:
    """« Envoyer la réponse »: stops the 10-day clock. The answer comes after the
    acknowledgement: answering a complaint not yet acknowledged acknowledges it too."""
    actor = as_actor(actor)
    _refuse_unless_commissioner(actor, complaint)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status not in (Status.RECEIVED, Status.ACKNOWLEDGED):
        raise Refused("already_answered", _("La réponse est déjà envoyée."))
    message = _write(actor, complaint, MessageKind.ANSWER, body)
    now = timezone.now()
    step(
        complaint,
        COMPLAINT_TRANSITIONS,
        "answer",
        actor=actor,
        acknowledged_at=complaint.acknowledged_at or now,
        answered_at=now,
        draft_answer="",
    )
    _stop(ACKNOWLEDGEMENT, complaint)
    _stop(ANSWER, complaint)
    record(actor, "complaint.answered", complaint)
    return message


@transaction.atomic
def close(*, actor: Actor | User, complaint: Complaint, outcome: str) -> Complaint:
    """« Fermer la plainte » with its outcome (used in the reports), once answered."""
    actor = as_actor(actor)
    _refuse_unless_commissioner(actor, complaint)
    if outcome not in Outcome.values:
        raise Refused("outcome_required", _("Choisissez l'issue."), field="outcome")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != Status.ANSWERED:
        raise Refused("not_answered", _("Envoyez la réponse avant de fermer la plainte."))
    step(
        complaint,
        COMPLAINT_TRANSITIONS,
        "close",
        actor=actor,
        payload={"outcome": outcome},
        outcome=outcome,
        closed_at=timezone.now(),
    )
    record(actor, "complaint.closed", complaint, details={"outcome": outcome})
    return complaint


def _stop(code: str, complaint: Complaint) -> None:
    clock = clocks.running(code, complaint)
    if clock is not None:
        clocks.stop(clock, on=timezone.localdate())


@task()
def notify(*, complaint_id: int) -> None:
    """The commissioner wrote: a signed-in person finds a notice in the message centre (and
    its usual email); anyone else gets an email with the follow-up link. Neither says what the
    commissioner wrote."""
    from guichet.messaging.models import Sender
    from guichet.messaging.services import post, topic_thread

    complaint = Complaint.objects.select_related("author").filter(pk=complaint_id).first()
    if complaint is None:
        return
    if complaint.author is not None:
        thread = topic_thread(
            owner=complaint.author,
            topic=TOPIC,
            subject=in_languages(lambda: _("Vos plaintes et commentaires")),
        )
        post(
            thread=thread,
            sender=Sender.SYSTEM,
            body=in_languages(
                lambda: (
                    _(
                        "Le Commissaire aux plaintes et à la qualité des services vous a écrit au "
                        "sujet de votre message no %(number)s. Consultez-le dans « Mes plaintes et "
                        "commentaires »."
                    )
                    % {"number": complaint.number}
                )
            ),
        )
        return
    send_templated_email(
        to=complaint.email,
        template="complaint_message",
        language=complaint.language,
        context={"follow_url": _follow_url(complaint)},
    )


@task()
def send_receipt(*, complaint_id: int) -> None:
    """Sent without an account: the link to confirm the email (while not confirmed) and to
    follow the message, by email — without its number or content."""
    complaint = Complaint.objects.filter(pk=complaint_id, author__isnull=True).first()
    if complaint is None:
        return
    send_templated_email(
        to=complaint.email,
        template="complaint_received" if complaint.counted else "complaint_confirm",
        language=complaint.language,
        context={"follow_url": _follow_url(complaint), "days": settings.COMPLAINT_LINK_DAYS},
    )


def _follow_url(complaint: Complaint) -> str:
    return site_url("complaints:follow", complaint.language, key=follow_key(complaint))
