"""Periodic jobs of the appointment service. Run every few minutes (cron, systemd timer or the
platform's scheduler): `python manage.py run_appointment_jobs`. Each job is idempotent and safe to
run from several machines at once."""

from typing import Any

from django.core.management.base import BaseCommand

from guichet.appointments import services


class Command(BaseCommand):
    help = "Reminders 48 h before, expired waitlist holds handed on, past bookings marked Manqué."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = services.send_reminders()
        expired = services.expire_holds()
        missed = services.mark_missed()
        self.stdout.write(
            f"reminders sent: {reminded}; waitlist holds expired: {expired}; "
            f"bookings marked missed: {missed}"
        )
