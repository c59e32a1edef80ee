from django.urls import path
from django.utils.translation import pgettext_lazy

from . import audit_views, client_views, dossier_views, place_views, registration, views

app_name = "backoffice"

urlpatterns = [
    path(pgettext_lazy("url", "bureau/"), views.calendar, name="calendar"),
    path(pgettext_lazy("url", "bureau/tableau-de-bord/"), views.dashboard, name="dashboard"),
    path(pgettext_lazy("url", "bureau/journal/"), audit_views.audit_trail, name="audit"),
    path(pgettext_lazy("url", "bureau/lieux/"), place_views.places, name="places"),
    path(pgettext_lazy("url", "bureau/lieux/nouveau/"), place_views.place_edit, name="place_new"),
    path(
        pgettext_lazy("url", "bureau/lieux/<int:place_id>/"),
        place_views.place_edit,
        name="place_edit",
    ),
    path(
        pgettext_lazy("url", "bureau/types-offerts/"),
        place_views.offered_types,
        name="offered_types",
    ),
    path(pgettext_lazy("url", "bureau/dossiers/"), dossier_views.queue, name="dossiers"),
    path(
        pgettext_lazy("url", "bureau/dossiers/ouvrir/"),
        dossier_views.dossier_open,
        name="dossier_open",
    ),
    path(
        pgettext_lazy("url", "bureau/dossiers/<int:dossier_id>/"),
        dossier_views.dossier_detail,
        name="dossier",
    ),
    path(
        pgettext_lazy("url", "bureau/dossiers/<int:dossier_id>/documents/<int:document_id>/"),
        dossier_views.dossier_document,
        name="dossier_document",
    ),
    path(pgettext_lazy("url", "bureau/clients/"), client_views.client_search, name="clients"),
    path(
        pgettext_lazy("url", "bureau/clients/inscrire/"),
        registration.register_client,
        name="register_client",
    ),
    path(
        pgettext_lazy("url", "bureau/clients/<int:client_id>/"),
        client_views.client_detail,
        name="client",
    ),
    path(
        pgettext_lazy("url", "bureau/rendez-vous/<int:booking_id>/annuler/"),
        client_views.booking_cancel,
        name="booking_cancel",
    ),
    path(
        pgettext_lazy("url", "bureau/rendez-vous/<int:booking_id>/reporter/"),
        client_views.booking_reschedule,
        name="booking_reschedule",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/inscrire/"),
        client_views.add_participant,
        name="add_participant",
    ),
    path(pgettext_lazy("url", "bureau/seances/nouvelle/"), views.session_create, name="create"),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/"),
        views.session_detail,
        name="session",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/places/"),
        views.session_capacity,
        name="capacity",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/annuler/"),
        views.session_cancel,
        name="cancel",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/presence/<int:booking_id>/"),
        views.attendance,
        name="attendance",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/modules/<int:position>/"),
        views.module_attendance,
        name="module_attendance",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/participants.pdf"),
        views.roster_pdf,
        name="roster_pdf",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/participants.csv"),
        views.roster_csv,
        name="roster_csv",
    ),
]
