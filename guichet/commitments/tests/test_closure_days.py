"""The ministry's closure days: kept by ministry staff only, audited, skipped by the clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory, staff
from guichet.audit.models import AuditEvent
from guichet.core.dates import Unit, due_date
from guichet.core.models import ClosureDay

pytestmark = pytest.mark.django_db


def _next_weekday(after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() >= 5 or (day.month, day.day) in ((1, 1), (1, 2), (12, 25), (12, 26)):
        day += timedelta(days=1)
    return day


def test_ministry_staff_add_and_remove_a_closure_day_and_the_clock_skips_it() -> None:
    agent = staff(Role.MINISTRY_STAFF)
    client = Client()
    client.force_login(agent)
    url = reverse("backoffice:closure_days")
    page = client.get(url).content.decode()
    assert "Jours de fermeture du Ministère" in page and "Jours fériés" in page
    day = _next_weekday(timezone.localdate() + timedelta(days=20))
    from guichet.core.dates import quebec_holidays

    while quebec_holidays(day, day):
        day = _next_weekday(day)
    before = due_date(day - timedelta(days=1), 1, Unit.BUSINESS_DAYS, today=day)
    assert before == day
    response = client.post(
        url, {"day": day.isoformat(), "reason_fr": "Tempête", "reason_en": "Storm"}
    )
    assert response.status_code == 302
    closure = ClosureDay.objects.get(day=day)
    assert due_date(day - timedelta(days=1), 1, Unit.BUSINESS_DAYS, today=day) > day
    # The same day twice, a Saturday: refused next to the date, what was typed kept.
    again = client.post(url, {"day": day.isoformat(), "reason_fr": "Encore", "reason_en": "Again"})
    assert again.status_code == 422
    assert "déjà un jour de fermeture" in again.content.decode()
    assert 'value="Encore"' in again.content.decode()
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    refused = client.post(url, {"day": saturday.isoformat(), "reason_fr": "x", "reason_en": "x"})
    assert refused.status_code == 422 and "samedi ou un dimanche" in refused.content.decode()
    remove = reverse("backoffice:closure_day_remove", kwargs={"closure_id": closure.pk})
    assert client.post(remove).status_code == 302
    assert not ClosureDay.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"commitments.closure_day_added", "commitments.closure_day_removed"} <= actions


def test_only_ministry_staff_reach_the_closure_days() -> None:
    closure = ClosureDay.objects.create(day=date(2030, 3, 5), reason_fr="x", reason_en="x")
    url = reverse("backoffice:closure_days")
    remove = reverse("backoffice:closure_day_remove", kwargs={"closure_id": closure.pk})
    assert Client().get(url).status_code == 302  # to sign in
    partner = staff(Role.PARTNER_STAFF, OrganisationFactory.create())
    for user in (UserFactory.create(role=Role.CLIENT), partner):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(remove).status_code == 403
    assert ClosureDay.objects.filter(pk=closure.pk).exists()


def test_the_weekly_series_skips_a_closure_day_too() -> None:
    from guichet.appointments.services import plan_series

    ClosureDay.objects.create(day=date(2026, 5, 11), reason_fr="Tempête", reason_en="Storm")
    plan = plan_series(date(2026, 5, 4), weeks=3)
    assert plan.dates == [date(2026, 5, 4)]  # 11 May closed, 18 May a holiday
    assert [day for day, _name in plan.skipped] == [date(2026, 5, 11), date(2026, 5, 18)]
