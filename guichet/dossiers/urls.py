from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "dossiers"

urlpatterns = [
    path(pgettext_lazy("url", "mes-dossiers/"), views.mine, name="mine"),
    path(pgettext_lazy("url", "mes-dossiers/nouveau/"), views.create, name="create"),
    path(
        pgettext_lazy("url", "mes-dossiers/nouveau/<slug:kind>/conditions/"),
        views.conditions,
        name="conditions",
    ),
    path(
        pgettext_lazy("url", "mes-dossiers/nouveau/<slug:kind>/identifier/"),
        views.link,
        name="link",
    ),
    path(pgettext_lazy("url", "mes-dossiers/<int:dossier_id>/"), views.detail, name="detail"),
    path(
        pgettext_lazy("url", "mes-dossiers/<int:dossier_id>/section/<slug:key>/"),
        views.section,
        name="section",
    ),
    path(
        pgettext_lazy("url", "mes-dossiers/<int:dossier_id>/recapitulatif/"),
        views.recap,
        name="recap",
    ),
    path(
        pgettext_lazy("url", "mes-dossiers/<int:dossier_id>/soumettre/"),
        views.submit,
        name="submit",
    ),
    path(
        pgettext_lazy("url", "mes-dossiers/<int:dossier_id>/rendez-vous/<int:appointment_id>.ics"),
        views.appointment_ics,
        name="appointment_ics",
    ),
    path(
        pgettext_lazy("url", "mes-dossiers/<int:dossier_id>/plan/<int:action_id>/"),
        views.action_status,
        name="action_status",
    ),
]
