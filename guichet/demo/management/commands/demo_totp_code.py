from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet.accounts.models import TwoFactorDevice
from guichet.accounts.two_factor import current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account. DEBUG databases only."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("user_code")

    def handle(self, *args: Any, user_code: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Only for the demo (DEBUG=true).")
        device = TwoFactorDevice.objects.filter(user__username__iexact=user_code).first()
        if device is None:
            raise CommandError(f"{user_code} has no second factor.")
        self.stdout.write(current_code(device.secret))
