from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "complaints"

urlpatterns = [
    path(pgettext_lazy("url", "commentaires-et-plaintes/"), views.new, name="new"),
    path(pgettext_lazy("url", "mes-plaintes-et-commentaires/"), views.mine, name="mine"),
    path(
        pgettext_lazy("url", "mes-plaintes-et-commentaires/<str:complaint_number>/"),
        views.detail,
        name="detail",
    ),
    path(pgettext_lazy("url", "commentaires-et-plaintes/envoye/"), views.sent, name="sent"),
    path(
        pgettext_lazy("url", "commentaires-et-plaintes/nouveau-lien/"),
        views.new_link,
        name="new_link",
    ),
    path(
        pgettext_lazy("url", "commentaires-et-plaintes/suivi/<str:key>/"),
        views.follow,
        name="follow",
    ),
    path(
        pgettext_lazy("url", "sondage-de-satisfaction/<str:subject>/<int:subject_id>/"),
        views.satisfaction,
        name="satisfaction",
    ),
]
