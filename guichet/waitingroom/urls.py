from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "waitingroom"

urlpatterns = [
    path(pgettext_lazy("url", "mon-projet-quebec/salle-attente/"), views.room, name="room"),
    path(
        pgettext_lazy("url", "mon-projet-quebec/salle-attente/position/"), views.poll, name="poll"
    ),
    path(
        pgettext_lazy("url", "mon-projet-quebec/salle-attente/admission/<str:token>/"),
        views.admission,
        name="admission",
    ),
    path(
        pgettext_lazy("url", "mon-projet-quebec/salle-attente/tirage/<int:period_id>/"),
        views.draw,
        name="draw",
    ),
    path(
        pgettext_lazy("url", "mon-projet-quebec/salle-attente/en-direct/<int:period_id>/"),
        views.live_opening,
        name="live",
    ),
    path(
        pgettext_lazy("url", "mon-projet-quebec/salle-attente/journal/<int:period_id>/"),
        views.public_log,
        name="log",
    ),
]
