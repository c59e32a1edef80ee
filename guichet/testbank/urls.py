"""The bank's API, for the merchant (no language prefix)."""

from django.urls import path

from . import views

app_name = "testbank_api"
urlpatterns = [
    path("api/paiements/", views.api_create, name="create"),
    path("api/paiements/<str:payment_id>/", views.api_status, name="status"),
    path("api/paiements/<str:payment_id>/annuler/", views.api_cancel, name="cancel"),
    path("api/paiements/<str:payment_id>/rembourser/", views.api_refund, name="refund"),
]
