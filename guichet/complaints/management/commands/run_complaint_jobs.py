"""Daily: messages to the commissioner sent without an account whose email was never confirmed
are deleted after COMPLAINT_UNCONFIRMED_DAYS (nobody read them; they hold a name and an
email)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guichet.complaints.services import purge_unconfirmed


class Command(BaseCommand):
    help = "Delete the messages to the commissioner whose email was never confirmed."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"unconfirmed messages deleted: {purge_unconfirmed()}")
