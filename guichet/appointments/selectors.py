"""Reads of the appointment service."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from guichet.organisations.models import Organisation

from .models import AppointmentType


def catalogue() -> QuerySet[AppointmentType]:
    """« Quels sont les types de rendez-vous offerts? » (seed 000 §2.3): every offered type with
    the organisations that offer it, in two queries."""
    return AppointmentType.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "organisations",
            queryset=Organisation.objects.filter(is_active=True).order_by("name"),
            to_attr="offering",
        )
    )
