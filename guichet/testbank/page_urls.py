"""The bank's hosted payment page, for the payer (in French or English)."""

from django.urls import path

from . import views

app_name = "testbank"
urlpatterns = [path("payer/<str:payment_id>/", views.pay, name="pay")]
