from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "appointments"

urlpatterns = [
    path(pgettext_lazy("url", "rendez-vous/"), views.my_appointments, name="mine"),
    path(pgettext_lazy("url", "rendez-vous/prendre/"), views.book, name="book"),
    path(
        pgettext_lazy("url", "rendez-vous/<int:booking_id>/annuler/"), views.cancel, name="cancel"
    ),
    path(
        pgettext_lazy("url", "rendez-vous/<int:booking_id>/reporter/"),
        views.reschedule,
        name="reschedule",
    ),
    path(
        pgettext_lazy("url", "rendez-vous/attente/<int:entry_id>/confirmer/"),
        views.waitlist_claim,
        name="waitlist_claim",
    ),
    path(
        pgettext_lazy("url", "rendez-vous/attente/<int:entry_id>/quitter/"),
        views.waitlist_leave,
        name="waitlist_leave",
    ),
    path(pgettext_lazy("url", "rendez-vous/types/"), views.catalogue, name="catalogue"),
    path(
        pgettext_lazy("url", "rendez-vous/types/<slug:slug>/"),
        views.type_detail,
        name="type_detail",
    ),
]
