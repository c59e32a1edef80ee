from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import current_user

from .models import (
    AppointmentType,
    Booking,
    Place,
    Session,
    SessionModule,
    WaitlistEntry,
)
from .services import attendance_refusal, mark_attendance


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
    # The seat counter is kept by the booking services (conditional UPDATEs); an edited counter
    # would let a full session take more bookings than its capacity.
    readonly_fields = ["seats_taken"]


ATTENDANCE_ONLY = _(
    "Seule la présence (Complété ou Manqué) d'un rendez-vous commencé se corrige ici."
)


class BookingStatusForm(forms.ModelForm):
    """Only attendance is corrected here (Complété ↔ Manqué, once the appointment has begun):
    cancelling or moving goes through the services that release and take seats."""

    class Meta:
        model = Booking
        fields = ["status"]

    def clean_status(self) -> str:
        status: str = self.cleaned_data["status"]
        if status != self.instance.status and attendance_refusal(self.instance, status):
            raise forms.ValidationError(ATTENDANCE_ONLY)
        return status


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Administrators may correct a status (e.g. Manqué → Complété); seats move only through the
    booking services, so client, session and source are read-only here."""

    form = BookingStatusForm
    list_display = ["client", "session", "status", "source", "changed_source", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["client__client_number"]
    readonly_fields = [
        "client",
        "session",
        "source",
        "created_by",
        "changed_source",
        "replaced_by",
        "reminder_sent_at",
    ]
    fields = [*readonly_fields, "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Booking, form: Any, change: bool) -> None:
        """The status changes through the attendance service (its transition, audited)."""
        status = form.cleaned_data["status"]
        current = Booking.objects.get(pk=obj.pk)
        if status != current.status:
            mark_attendance(booking=current, status=status, actor=current_user(request))


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["client", "session", "status", "created_at", "hold_until"]
    list_filter = ["status"]
    readonly_fields = ["client", "session", "status", "created_at", "offered_at", "hold_until"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WaitlistEntry | None = None) -> bool:
        return False
