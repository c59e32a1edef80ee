from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Role


class GuichetAdminSite(admin.AdminSite):
    site_header = _("Guichet — administration")
    site_title = _("Guichet")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMIN)
