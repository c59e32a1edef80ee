"""The commitment clocks an actor may see and act on (issue 32): those of the requests the
actor may see — a dossier (through `dossiers_for` or, for a CSQ application, the intake
officers' `applications_for`), a dossier's message thread, and whatever a higher app registers
(`VISIBLE`: the complaints register theirs, seen by the commissioner's members only). Nothing
is fetched unscoped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from guichet.accounts.models import User
from guichet.core.actor import Actor, as_actor
from guichet.dossiers.models import Dossier
from guichet.dossiers.selectors import dossiers_for
from guichet.intake.selectors import applications_for
from guichet.messaging.models import Thread

from .models import Clock

# {model label: the ids of that model's rows the actor may see}, for the requests of the apps
# above this one (filled when they start, like `services.TRAILS`).
VISIBLE: dict[str, Callable[[Actor], QuerySet[Any]]] = {}


def _visible_dossiers(actor: Actor) -> QuerySet[Dossier]:
    seen = dossiers_for(actor).values("pk")
    applied = applications_for(actor).values("dossier_id")
    return Dossier.objects.filter(Q(pk__in=seen) | Q(pk__in=applied))


def clocks_for(who: Actor | User | None) -> QuerySet[Clock]:
    """Every clock of a request the actor may see; none for anyone else."""
    actor = as_actor(who)
    if actor.user is None:
        return Clock.objects.none()
    dossiers = _visible_dossiers(actor)
    allowed = Q(
        target_type=ContentType.objects.get_for_model(Dossier),
        target_id__in=dossiers.values("pk"),
    ) | Q(
        target_type=ContentType.objects.get_for_model(Thread),
        target_id__in=Thread.objects.filter(dossier__in=dossiers).values("pk"),
    )
    for label, visible in VISIBLE.items():
        app_label, model = label.split(".")
        allowed |= Q(
            target_type=ContentType.objects.get_by_natural_key(app_label, model),
            target_id__in=visible(actor).values("pk"),
        )
    return Clock.objects.filter(allowed).select_related("commitment", "target_type")
