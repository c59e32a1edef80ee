from django.contrib import admin

from .models import Client, ImmigrationStatus, Locality


@admin.register(ImmigrationStatus)
class ImmigrationStatusAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "eligible", "position"]
    list_editable = ["eligible", "position"]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "population"]
    search_fields = ["name"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["client_number", "last_name", "first_name", "status", "source"]
    search_fields = ["client_number", "last_name", "reference_number", "cic_client_id"]
    list_filter = ["status", "source"]
    raw_id_fields = ["user"]
