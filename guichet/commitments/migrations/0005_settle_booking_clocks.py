"""The booking clocks still running from before offers were measured at booking (issue 31.3)
are settled once, as the daily catch-up did; from now on every booking clock is stopped when
its « booking.created » event is handled, and the catch-up job is gone (issue 32).

Held or missed: stopped on the session's day (a breach recorded if that is past the due date);
cancelled or moved to another slot: dropped (the new booking has its own clock)."""

from django.db import migrations
from django.utils import timezone


def settle(apps, schema_editor):
    Clock = apps.get_model("commitments", "Clock")
    Booking = apps.get_model("appointments", "Booking")
    ContentType = apps.get_model("contenttypes", "ContentType")
    booking_type = ContentType.objects.filter(app_label="appointments", model="booking").first()
    if booking_type is None:
        return
    running = Clock.objects.filter(target_type=booking_type, stopped_on__isnull=True)
    bookings = Booking.objects.select_related("session").in_bulk(
        [c.target_id for c in running]
    )
    for clock in running:
        booking = bookings.get(clock.target_id)
        if booking is None or booking.status in ("cancelled", "rescheduled"):
            clock.delete()
        elif booking.status in ("completed", "missed"):
            day = timezone.localdate(booking.session.starts_at)
            clock.stopped_on = day
            if day > clock.due_on and clock.breached_on is None:
                clock.breached_on = day
            clock.save(update_fields=["stopped_on", "breached_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0004_service_levels"),
        ("appointments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(settle, migrations.RunPython.noop)]
