"""State changes are explicit (issue 14 #2): a booking or waitlist entry changes status only
along its table, by one conditional UPDATE that leaves a row changed meanwhile alone."""

import pytest

from guichet.appointments.models import (
    BOOKING_TRANSITIONS,
    WAITLIST_TRANSITIONS,
    Booking,
    BookingStatus,
    WaitlistStatus,
)
from guichet.appointments.services import book
from guichet.appointments.tests.factories import SessionFactory
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.core.transitions import move


def test_every_status_is_reachable_and_every_target_is_a_status() -> None:
    for table, statuses in [
        (BOOKING_TRANSITIONS, BookingStatus.values),
        (WAITLIST_TRANSITIONS, WaitlistStatus.values),
    ]:
        for transition in table.values():
            assert transition.target in statuses
            assert transition.sources <= set(statuses)
    # Nothing leaves Annulé or Reporté: a cancelled or moved booking is history.
    for transition in BOOKING_TRANSITIONS.values():
        assert BookingStatus.CANCELLED not in transition.sources
        assert BookingStatus.RESCHEDULED not in transition.sources


@pytest.mark.django_db
def test_a_move_from_a_status_the_table_does_not_allow_changes_nothing() -> None:
    client = registered_client()
    booking = book(client=client, session=SessionFactory.create(), actor=user_of(client))
    rows = Booking.objects.filter(pk=booking.pk)
    assert move(rows, BOOKING_TRANSITIONS, "cancel") == 1
    assert move(rows, BOOKING_TRANSITIONS, "cancel") == 0  # already Annulé
    assert move(rows, BOOKING_TRANSITIONS, "attend") == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not booking.can_cancel_online() and not booking.can_reschedule_online()
