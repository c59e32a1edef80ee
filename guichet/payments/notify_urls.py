"""The providers' server-to-server notifications (no language prefix, no session)."""

from django.urls import path

from . import views

app_name = "payments_notify"
urlpatterns = [path("avis/<slug:provider>/", views.notification, name="notification")]
