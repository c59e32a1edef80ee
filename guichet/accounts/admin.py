from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "organisation", "is_active"]
    search_fields = ["username", "email"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Guichet"), {"fields": ("role", "organisation", "preferred_language")}),
    )
