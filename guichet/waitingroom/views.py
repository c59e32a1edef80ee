"""The waiting room, the candidate's side (seed 002, the news item): « Se connecter » from the
opening (a countdown before), the queue number, the position and how many wait before, the
estimated wait as a range, the seed's two warnings, the turn (sound, message, title, then the
submission page) and the ten minutes left. Works without JavaScript: the page refreshes itself
at the interval the poll gives, with an « Actualiser » button. The ticket is the account's:
no id in the address."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.core.access import public, roles
from guichet.core.actor import actor_of
from guichet.core.exports import csv_response
from guichet.core.refusals import Refused
from guichet.intake import eligibility
from guichet.intake.kinds.csq import kind as csq

from . import limits, live, order, selectors, services
from .models import Room, RoomStatus, Ticket, TicketStatus

TOKEN_SALT = "guichet.waitingroom.admission"  # noqa: S105 — a salt, not a secret
PASS_SALT = "guichet.waitingroom.pass"  # noqa: S105 — a salt, not a secret
PASS_HEADER = "X-Guichet-Pass"  # noqa: S105 — a header name
PASS_MAX_AGE = 24 * 3600


def _room() -> Room | None:
    """The room of the period open now, else of the next one (its countdown)."""
    period = csq.current_period() or csq.next_period()
    if period is None or not period.waiting_room:
        return None
    return services.room_of(period)


def _ticket(request: HttpRequest, room: Room) -> Ticket | None:
    return selectors.tickets_for(current_user(request)).filter(room=room).first()


def admission_token(ticket_id: int, admitted_at: datetime | None) -> str:
    """Signed; bound to the account through its ticket (only the ticket's holder may use it)
    and to this admission; single-use (the ticket records its use)."""
    admitted = admitted_at.isoformat() if admitted_at else ""
    return signing.dumps({"t": ticket_id, "a": admitted}, salt=TOKEN_SALT)


def poll_pass(ticket: Ticket) -> str:
    """What the page's script shows when it asks for the position (a header, never the
    address): the ticket, signed. The polls are sent without cookies, so that a poll reads no
    session and writes none; the pass says whose ticket it is, and nothing else."""
    return signing.dumps(
        {"t": ticket.pk, "r": live.tag(ticket.room), "u": ticket.user_id}, salt=PASS_SALT
    )


def _messages_for(standing: services.Standing) -> dict[str, str]:
    if standing.status == TicketStatus.ADMITTED:
        return {
            "title": _("C'est votre tour"),
            "text": _(
                "C'est votre tour : vous avez 10 minutes pour entrer votre code d'utilisateur, "
                "votre mot de passe, les réponses à vos questions de sécurité et soumettre votre "
                "demande."
            ),
        }
    if standing.status == TicketStatus.EXPIRED:
        return {
            "title": _("Votre fenêtre de 10 minutes est expirée"),
            "text": _(
                "Votre fenêtre de 10 minutes est expirée sans que la demande soit soumise : votre "
                "place a été rendue au quota."
            ),
        }
    if standing.status == TicketStatus.SUBMITTED:
        return {"title": _("Demande soumise"), "text": _("Votre demande a été soumise.")}
    if standing.status == TicketStatus.LEFT:
        return {
            "title": _("Sortie de la file"),
            "text": _(
                "Votre demande ne peut plus être soumise à partir de la salle d'attente : elle a "
                "été soumise, est en vérification ou a été écartée, ou une demande au nom de la "
                "même personne est déjà comptabilisée. Consultez Mon projet Québec."
            ),
        }
    if standing.status == TicketStatus.CLOSED or standing.room_status == RoomStatus.CLOSED:
        return {"title": _("Salle d'attente fermée"), "text": services.closed_message()}
    if standing.position is None:
        return {
            "title": _("En attente du tirage au sort"),
            "text": _(
                "Vous êtes dans la file préalable : l'ordre de passage sera tiré au sort à "
                "l'ouverture."
            ),
        }
    return {
        "title": _("Vous êtes dans la file d'attente"),
        "text": _(
            "Votre position dans la file d'attente : %(position)s. Nombre de personnes qui "
            "attendent avant vous : %(ahead)s."
        )
        % {"position": standing.position, "ahead": standing.ahead},
    }


def wait_text(standing: services.Standing) -> str:
    if standing.wait_minutes is None:
        return ""
    low, high = standing.wait_minutes
    if high <= 1:
        return _("moins d'une minute")
    if low == 0:
        return _("moins de %(high)s minutes") % {"high": high}
    return _("entre %(low)s et %(high)s minutes") % {"low": low, "high": high}


def _payload(
    ticket_id: int, admitted_at: datetime | None, standing: services.Standing
) -> dict[str, Any]:
    said = _messages_for(standing)
    data: dict[str, Any] = {
        "status": standing.status,
        "room": standing.room_status,
        "number": standing.number,
        "position": standing.position,
        "ahead": standing.ahead,
        "wait": list(standing.wait_minutes) if standing.wait_minutes else None,
        "wait_text": wait_text(standing),
        "poll": standing.poll_seconds,
        "title": said["title"],
        "message": said["text"],
        "position_grew": _(
            "Votre position a augmenté : des personnes qui vous précédaient, admises mais "
            "absentes à leur tour, ont repris leur numéro devant vous (personne n'est renvoyé à "
            "la fin de la file)."
        ),
    }
    if standing.status == TicketStatus.ADMITTED and standing.window_ends_at is not None:
        data["turn_url"] = reverse(
            "waitingroom:admission", kwargs={"token": admission_token(ticket_id, admitted_at)}
        )
        data["window_ends_at"] = standing.window_ends_at.isoformat()
        data["seconds_left"] = max(
            0, int((standing.window_ends_at - timezone.now()).total_seconds())
        )
    return data


@never_cache
@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def room(request: HttpRequest) -> HttpResponse:
    """« Salle d'attente virtuelle »: before the opening, the countdown; then « Se connecter »
    and, once in, the number and the live position."""
    found = _room()
    if found is None:
        raise Http404
    now = timezone.now()
    if request.method == "POST":
        if limits.too_many(request, "join"):
            return limits.slow_down(request)
        try:
            services.join(actor=actor_of(request), room=found, now=now)
        except Refused as refusal:
            messages.error(request, refusal.message)
        return redirect("waitingroom:room")
    ticket = _ticket(request, found)
    context: dict[str, Any] = {
        "room": found,
        "period": found.period,
        "opens_at": services.joins_open_at(found),
        "seconds_to_opening": max(0, int((services.joins_open_at(found) - now).total_seconds())),
        "ticket": ticket,
        "lottery": services.is_lottery(found),
    }
    if ticket is None or ticket.status == TicketStatus.WAITING:
        # Said before « Se connecter » (only an account that can submit now gets a number), and
        # to a waiting holder whose application changed since (skipped until put right).
        context["missing"] = eligibility.missing(current_user(request))
    if ticket is not None:
        services.tick(found, now=now)
        ticket.refresh_from_db()
        standing = services.standing(ticket, now=now)
        context["standing"] = standing
        context["data"] = _payload(ticket.pk, ticket.admitted_at, standing)
        context["said"] = _messages_for(standing)
        context["poll_pass"] = poll_pass(ticket)
    return render(request, "waitingroom/room.html", context)


NO_TICKET = {"status": "none"}


@never_cache
@public
@require_http_methods(["GET"])
def poll(request: HttpRequest) -> HttpResponse:
    """The position, as JSON, for the page's script (the next poll's delay included). The
    script sends the page's pass (a header) and no cookies: Redis answers when it holds the
    room (one round trip, no session, no database), the database otherwise. Without a pass,
    nothing (the page without script refreshes itself instead)."""
    sent = request.headers.get(PASS_HEADER)
    if not sent:
        return JsonResponse(NO_TICKET, status=404)
    return _poll_with_pass(request, sent)


def _slow_down() -> JsonResponse:
    return JsonResponse({"status": "slow_down", "poll": 30}, status=429)


def _poll_with_pass(request: HttpRequest, sent: str) -> HttpResponse:
    try:
        claims = signing.loads(sent, salt=PASS_SALT, max_age=PASS_MAX_AGE)
        ticket_id, room_tag, user_id = int(claims["t"]), str(claims["r"]), int(claims["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return JsonResponse(NO_TICKET, status=404)
    counters = limits.keys("poll", user_id, limits.client_ip(request) or "")
    snapshot = live.read(room_tag, ticket_id, limits=[(key, 60) for key, _limit in counters])
    if snapshot is not None:
        if any(
            count > limit for count, (_key, limit) in zip(snapshot.counts, counters, strict=True)
        ):
            return _slow_down()
        # Without a controller process (the embedded default), a poll runs the round.
        services.tick_live(int(room_tag.split(".")[0]), snapshot.room_status)
        standing = services.standing_of(snapshot)
        return JsonResponse(_payload(ticket_id, snapshot.admitted_at, standing))
    # The database answers: Redis is not configured, lost, or does not hold this room yet.
    ticket = selectors.ticket_of_pass(ticket_id, user_id)
    if ticket is None or live.tag(ticket.room) != room_tag:
        return JsonResponse(NO_TICKET, status=404)
    if limits.too_many_for(user_id, limits.client_ip(request) or "", "poll"):
        return _slow_down()
    if services.tick(ticket.room):
        ticket.refresh_from_db()
    standing = services.standing(ticket)
    live.push(ticket.room, [ticket.pk])  # a copy that lacked this ticket is mended
    return JsonResponse(_payload(ticket.pk, ticket.admitted_at, standing))


@never_cache
@roles(Role.CLIENT)
@require_http_methods(["GET"])
def admission(request: HttpRequest, token: str) -> HttpResponse:
    """The turn's link: signed, bound to the account, single-use; it opens the submission page
    with the window's time left."""
    try:
        claims = signing.loads(token, salt=TOKEN_SALT, max_age=60 * 60)
    except signing.BadSignature:
        raise Http404 from None
    user = current_user(request)
    ticket = selectors.tickets_for(user).filter(pk=claims.get("t")).first()
    admitted = ticket.admitted_at.isoformat() if ticket and ticket.admitted_at else ""
    if ticket is None or claims.get("a") != admitted:
        raise Http404
    if ticket.status == TicketStatus.ADMITTED and not services.use_admission(ticket=ticket):
        messages.info(
            request, _("Ce lien d'admission a déjà servi : votre fenêtre de soumission continue.")
        )
    elif ticket.status != TicketStatus.ADMITTED:
        return redirect("waitingroom:room")
    return redirect("intake:submit")


@public
@require_http_methods(["GET"])
def public_log(request: HttpRequest, period_id: int) -> HttpResponse:
    """The room's public log (CSV): join, draw, admit, expire, submit, with queue numbers and
    times only. With the seed published after the draw, anyone recomputes the order:
    `python -m guichet.waitingroom.order journal.csv SEED`."""
    room = selectors.published_rooms().filter(pk=period_id).first()
    if room is None:
        raise Http404
    rows: list[list[Any]] = [
        [
            event.pk,
            event.kind,
            event.number if event.number is not None else "",
            event.rank if event.rank is not None else "",
            event.at.isoformat(),
            event.detail,
        ]
        for event in room.events.order_by("pk").iterator()
    ]
    if room.drawn_at is not None:
        # The seed, published once the order is drawn; its digest was public before.
        rows.append(["", "seed", "", "", room.drawn_at.isoformat(), room.seed])
    return csv_response(
        filename=f"salle-attente-{room.pk}.csv",
        header=["seq", "kind", "number", "rank", "at", "detail"],
        rows=rows,
    )


PREVIEW = 100  # the first ranks shown on the page; the whole order is in the CSV


@public
@require_http_methods(["GET"])
def draw(request: HttpRequest, period_id: int) -> HttpResponse:
    """« Tirage au sort et journal public »: the seed's digest (published before the opening),
    the seed once drawn, the log, how to recompute the order oneself, and the order recomputed
    here from the public log and checked against the ranks the log records."""
    room = selectors.waiting_rooms().filter(pk=period_id).first()
    if room is None:
        raise Http404
    lottery = services.is_lottery(room)
    drawn = room.drawn_at is not None
    context: dict[str, Any] = {
        "room": room,
        "period": room.period,
        "lottery": lottery,
        "drawn": drawn,
        "log_public": room.status != RoomStatus.READY,
        "seed_matches": drawn and order.digest(room.seed) == room.seed_digest,
    }
    if context["log_public"]:
        rows = list(room.events.order_by("pk").values("kind", "number", "rank"))
        joins = [
            {"kind": str(row["kind"]), "number": str(row["number"])}
            for row in rows
            if row["kind"] in ("join", "draw")
        ]
        recomputed = order.order_from_log(joins, room.seed if drawn else None)
        rank_of = {number: rank for rank, number in enumerate(recomputed, start=1)}
        admitted: dict[int, int] = {
            int(row["number"] or 0): int(row["rank"] or 0)
            for row in rows
            if row["kind"] == "admit" and row["rank"]
        }
        context |= {
            "order": list(enumerate(recomputed[:PREVIEW], start=1)),
            "total": len(recomputed),
            "checked": len(admitted),
            "mismatches": len([n for n, r in admitted.items() if rank_of.get(n) != r]),
        }
    return render(request, "waitingroom/draw.html", context)


@public
@require_http_methods(["GET"])
def live_opening(request: HttpRequest, period_id: int) -> HttpResponse:
    """« L'ouverture en direct »: the same figures for everyone (numbers given, the rank the
    admissions reached, places taken and left, admissions per minute, the draw), computed at
    most every few seconds and cacheable that long by a shared cache (the load balancer's, a
    CDN) for anyone without a session — a signed-in reader's page names them."""
    room = selectors.waiting_rooms().filter(pk=period_id).first()
    if room is None:
        raise Http404
    figures = services.opening(room)
    response = render(
        request,
        "waitingroom/live.html",
        {
            "room": room,
            "period": room.period,
            "figures": figures,
            "status_label": RoomStatus(figures.status).label,
        },
    )
    shared = settings.SESSION_COOKIE_NAME not in request.COOKIES
    response["Cache-Control"] = (
        f"{'public' if shared else 'private'}, max-age={services.LIVE_SECONDS}"
    )
    return response
