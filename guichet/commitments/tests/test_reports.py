"""The commitments' figures on fixed data (SPEC H2 §4): share met, median, 90th percentile,
breaches, suspended time, requests still running; the staff report (table, chart, CSV, the
fiscal years) and the public processing times."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import OrganisationFactory, staff
from guichet.commitments import reports
from guichet.commitments.models import Clock, Commitment

pytestmark = pytest.mark.django_db

D = date


def _clock(n: int, received: date, stopped: date | None, *, due: date, **extra: object) -> Clock:
    return Clock.objects.create(
        commitment=Commitment.objects.get(code="email-answer"),
        target_type=ContentType.objects.get_for_model(User),
        target_id=n,
        received_on=received,
        due_on=due,
        stopped_on=stopped,
        **extra,
    )


@pytest.fixture
def march() -> None:
    """March 2026 has no holiday: business days are weekdays."""
    _clock(1, D(2026, 3, 2), D(2026, 3, 4), due=D(2026, 3, 9))  # 2 days, met
    _clock(2, D(2026, 3, 2), D(2026, 3, 9), due=D(2026, 3, 9))  # 5 days, met on the day
    _clock(3, D(2026, 3, 2), D(2026, 3, 12), due=D(2026, 3, 9), breached_on=D(2026, 3, 12))
    _clock(4, D(2026, 3, 2), D(2026, 3, 11), due=D(2026, 3, 11), suspended_days=2)  # 7 - 2
    _clock(5, D(2026, 2, 20), D(2026, 2, 25), due=D(2026, 2, 27))  # another month
    _clock(6, D(2026, 3, 20), None, due=D(2026, 3, 27), breached_on=D(2026, 3, 30))


def test_the_figures_of_a_month(march: None) -> None:
    row = next(
        r
        for r in reports.figures(D(2026, 3, 1), D(2026, 3, 31))
        if r.commitment.code == "email-answer"
    )
    assert (row.completed, row.met, row.share_met) == (4, 3, 75.0)
    assert (row.median, row.p90) == (5.0, 8)
    assert (row.breaches, row.suspended, row.suspended_days) == (2, 1, 2)
    assert (row.running, row.running_late) == (1, 1)
    february = next(
        r
        for r in reports.figures(D(2026, 2, 1), D(2026, 2, 28))
        if r.commitment.code == "email-answer"
    )
    assert (february.completed, february.met, february.median) == (1, 1, 3.0)
    assert february.running == 0  # the March requests had not arrived yet


def test_percentiles() -> None:
    assert reports.percentile([], 90) is None and reports.median([]) is None
    assert reports.percentile(list(range(1, 11)), 90) == 9
    assert reports.percentile([4], 90) == 4 and reports.median([1, 2, 3]) == 2.0
    assert reports.fiscal_year(2025) == (D(2025, 4, 1), D(2026, 3, 31))
    assert reports.current_fiscal_year(D(2026, 3, 31)) == 2025
    assert reports.current_fiscal_year(D(2026, 4, 1)) == 2026


def test_the_staff_report_table_chart_csv_and_fiscal_year(client, march: None) -> None:
    url = reverse("backoffice:commitment_report")
    client.force_login(staff(Role.PARTNER_STAFF, OrganisationFactory.create()))
    assert client.get(url).status_code == 403
    client.force_login(staff(Role.MINISTRY_STAFF))
    page = client.get(url, {"du": "2026-03-01", "au": "2026-03-31"}).content.decode()
    assert "Réponse à votre demande par courriel" in page
    assert "75,0 % (3)" in page and 'width="75.0"' in page  # the table and the chart
    assert "<title>Résultats au regard de nos engagements — Guichet" in page
    # One way to write a time: no « 5,0 » beside « 8 » (issue 31.11).
    assert "5 jours ouvrables" in page and "8 jours ouvrables" in page and "5,0 jours" not in page
    csv = client.get(url, {"du": "2026-03-01", "au": "2026-03-31", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    line = next(
        line for line in csv.content.decode().splitlines() if "Réponse à votre demande" in line
    )
    assert line.split(",")[1:12] == [
        "5 jours ouvrables",
        "4",
        "3",
        "75.0",
        "5.0",
        "8",
        "2",
        "1",
        "2",
        "1",
        "1",
    ]
    year = client.get(url, {"exercice": "2025"}).content.decode()
    assert "Du 2025-04-01 au 2026-03-31" in year and "80,0 % (4)" in year  # February too
    wrong = client.get(url, {"du": "2026-03-31", "au": "2026-03-01"})
    assert wrong.status_code == 422 and "La fin doit suivre le début." in wrong.content.decode()


def test_the_public_processing_times(client) -> None:
    cache.clear()
    today = timezone.localdate()
    for n, taken in enumerate([1, 2, 3, 4, 10], start=1):
        received = today - timedelta(days=40)
        stopped = received + timedelta(days=taken)
        _clock(n, received, stopped, due=received + timedelta(days=7))
    _clock(9, today - timedelta(days=200), today - timedelta(days=150), due=today)  # too old
    page = client.get(reverse("commitments:processing_times")).content.decode()
    assert "Délais de traitement actuels" in page
    row = reports.processing_times(today)[2]
    email = next(r for r in row if r.commitment.code == "email-answer")
    assert email.completed == 5 and email.p90 is not None and email.median is not None
    assert f"{email.p90} jours ouvrables" in page or f"{email.p90} jour ouvrable" in page
    assert "Aucune demande terminée" in page  # the other commitments
    # The telephone's delay is declared, and said not to be measured here; the rows follow
    # the declaration's order.
    assert "Réponse à votre appel téléphonique" in page and "Non mesuré par le Guichet" in page
    order = [
        "Lettre confirmant l&#x27;ouverture",
        "Rencontre sur les premières démarches",
        "Réponse à votre appel téléphonique",
        "Réponse à votre demande par courriel",
    ]
    positions = [page.index(words) for words in order]
    assert positions == sorted(positions)
