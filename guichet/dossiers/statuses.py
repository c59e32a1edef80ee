"""The engine's status codes (no dependency: the kinds' registry and the models both read
them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    """The engine's status codes; each kind uses some of them, along its own transition table,
    and may name them in its own words (an offer « Non soumise », a CSQ application
    « Soumise »). The labels here are the default ones."""

    DRAFT = "draft", _("Inscription en cours")
    PENDING = "pending", _("Demande en traitement")
    SUBMITTED = "submitted", _("Présenté")
    IN_PROGRESS = "in_progress", _("En traitement")
    PAID = "paid", _("Payée")
    CLOSED = "closed", _("Fermé")
    WITHDRAWN = "withdrawn", _("Retirée")
    # Submitted but not counted: a duplicate (seed 002 « Les doublons seront repérés et
    # supprimés »), or refused (« Les comptes cédés ou vendus seront refusés »).
    SET_ASIDE = "set_aside", _("Écartée")
    REFUSED = "refused", _("Refusée")


# Submitted and not closed: what the agents work on.
PROCESSING_STATUSES = frozenset({DossierStatus.SUBMITTED, DossierStatus.IN_PROGRESS})
# Not finished: a person has at most one open dossier of a kind that says so.
OPEN_STATUSES = PROCESSING_STATUSES | {
    DossierStatus.DRAFT,
    DossierStatus.PENDING,
    DossierStatus.PAID,
}
