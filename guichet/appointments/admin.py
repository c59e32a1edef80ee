from django.contrib import admin

from .models import AppointmentType, Place, Session, SessionModule


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "locality", "postal_code"]
    list_filter = ["organisation"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["locality"]


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "duration_minutes", "collective", "is_active", "position"]
    list_filter = ["collective", "is_active", "french_requirement"]
    search_fields = ["title_fr", "title_en"]
    filter_horizontal = ["organisations", "eligible_statuses"]
    prepopulated_fields = {"slug": ["title_fr"]}


class SessionModuleInline(admin.TabularInline):
    model = SessionModule
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "appointment_type",
        "organisation",
        "place",
        "starts_at",
        "capacity",
        "seats_taken",
        "status",
    ]
    list_filter = ["appointment_type", "organisation", "status"]
    date_hierarchy = "starts_at"
    inlines = [SessionModuleInline]
