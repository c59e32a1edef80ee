"""The complaints in the reports: how many were closed in a period, by kind and outcome (no
person, no text: counts only)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from .models import Complaint, Kind, Outcome


def outcomes(first: date, last: date) -> list[tuple[str, list[int], int]]:
    """One row per outcome: (its label, the count per kind in `Kind` order, the total)."""
    counts = {
        (row["outcome"], row["kind"]): row["n"]
        for row in Complaint.objects.filter(closed_at__date__range=(first, last))
        .values("outcome", "kind")
        .annotate(n=Count("pk"))
    }
    rows = []
    for value, label in Outcome.choices:
        per_kind = [counts.get((value, kind), 0) for kind in Kind.values]
        rows.append((str(label), per_kind, sum(per_kind)))
    return rows
