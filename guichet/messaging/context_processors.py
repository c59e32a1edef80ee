from typing import Any

from django.http import HttpRequest

from guichet.accounts.models import Role, User

from .selectors import unread_count


def unread_messages(request: HttpRequest) -> dict[str, Any]:
    """The header's « Centre des messages » counter, for the people who have one."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.role in (Role.CLIENT, Role.EMPLOYER):
        return {"unread_messages": unread_count(user)}
    return {}
