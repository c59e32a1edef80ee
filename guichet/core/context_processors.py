from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .help import topic_of


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEBUG": settings.DEBUG,
        "CONTACT_PHONES": settings.GUICHET["CONTACT_PHONES"],
        "TTY_PHONES": settings.GUICHET["TTY_PHONES"],
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
        "HELP_TOPIC": topic_of(request),
    }
