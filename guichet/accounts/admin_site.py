from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role


class GuichetAdminSite(admin.AdminSite):
    site_header = _("Guichet — administration")
    site_title = _("Guichet")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMIN)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One login page for everyone: the admin's own is replaced by the Guichet one, so
        administrators go through the same checks (throttling, second factor) as staff."""
        if request.user.is_authenticated:
            # Signed in but not an administrator: refuse rather than loop through the login.
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("accounts:login"))
