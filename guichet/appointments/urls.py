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
    path(pgettext_lazy("url", "rendez-vous/types/"), views.catalogue, name="catalogue"),
    path(
        pgettext_lazy("url", "rendez-vous/types/<slug:slug>/"),
        views.type_detail,
        name="type_detail",
    ),
]
