from django.urls import path
from django.utils.translation import pgettext_lazy

from .views import (
    audit,
    calendar,
    clients,
    commitments,
    complaints,
    dossiers,
    employers,
    intake,
    payments,
    places,
    registration,
    waitingroom,
)

app_name = "backoffice"

urlpatterns = [
    path(pgettext_lazy("url", "bureau/"), calendar.calendar, name="calendar"),
    path(pgettext_lazy("url", "bureau/tableau-de-bord/"), calendar.dashboard, name="dashboard"),
    path(pgettext_lazy("url", "bureau/journal/"), audit.audit_trail, name="audit"),
    path(
        pgettext_lazy("url", "bureau/jours-de-fermeture/"),
        commitments.closure_days,
        name="closure_days",
    ),
    path(
        pgettext_lazy("url", "bureau/jours-de-fermeture/<int:closure_id>/retirer/"),
        commitments.closure_day_remove,
        name="closure_day_remove",
    ),
    path(
        pgettext_lazy("url", "bureau/engagements/"),
        commitments.commitment_report,
        name="commitment_report",
    ),
    path(
        pgettext_lazy("url", "bureau/delais/<int:clock_id>/suspension/"),
        commitments.clock_suspension,
        name="clock_suspension",
    ),
    path(
        pgettext_lazy("url", "bureau/engagements/places/"),
        commitments.commitment_capacity,
        name="commitment_capacity",
    ),
    path(
        pgettext_lazy("url", "bureau/delais/<int:clock_id>/manquement/"),
        commitments.clock_breach_reason,
        name="clock_breach_reason",
    ),
    path(pgettext_lazy("url", "bureau/plaintes/"), complaints.queue, name="complaints"),
    path(
        pgettext_lazy("url", "bureau/plaintes/<str:complaint_number>/"),
        complaints.complaint,
        name="complaint",
    ),
    path(pgettext_lazy("url", "bureau/lieux/"), places.places, name="places"),
    path(pgettext_lazy("url", "bureau/lieux/nouveau/"), places.place_edit, name="place_new"),
    path(
        pgettext_lazy("url", "bureau/lieux/<int:place_id>/"),
        places.place_edit,
        name="place_edit",
    ),
    path(
        pgettext_lazy("url", "bureau/types-offerts/"),
        places.offered_types,
        name="offered_types",
    ),
    path(pgettext_lazy("url", "bureau/paiements/"), payments.payment_search, name="payments"),
    path(
        pgettext_lazy("url", "bureau/paiements/conciliation/"),
        payments.payments_report,
        name="payments_report",
    ),
    path(
        pgettext_lazy("url", "bureau/paiements/<str:reference>/"),
        payments.payment_detail,
        name="payment",
    ),
    path(
        pgettext_lazy("url", "bureau/employeurs/inscriptions/"),
        employers.registrations,
        name="employer_registrations",
    ),
    path(
        pgettext_lazy("url", "bureau/employeurs/inscriptions/<int:registration_id>/"),
        employers.registration,
        name="employer_registration",
    ),
    path(
        pgettext_lazy("url", "bureau/employeurs/offres/"),
        employers.offers_list,
        name="employer_offers",
    ),
    path(
        pgettext_lazy("url", "bureau/employeurs/offres/<int:dossier_id>/"),
        employers.offer_detail,
        name="employer_offer",
    ),
    path(pgettext_lazy("url", "bureau/reception/periodes/"), intake.periods, name="intake_periods"),
    path(
        pgettext_lazy("url", "bureau/reception/periodes/<int:period_id>/salle-attente/"),
        waitingroom.room,
        name="waiting_room",
    ),
    path(
        pgettext_lazy("url", "bureau/reception/periodes/nouvelle/"),
        intake.period_edit,
        name="intake_period_new",
    ),
    path(
        pgettext_lazy("url", "bureau/reception/periodes/<int:period_id>/"),
        intake.period_edit,
        name="intake_period",
    ),
    path(
        pgettext_lazy("url", "bureau/reception/demandes/"),
        intake.applications,
        name="intake_applications",
    ),
    path(
        pgettext_lazy("url", "bureau/reception/demandes/<int:application_id>/"),
        intake.application,
        name="intake_application",
    ),
    path(pgettext_lazy("url", "bureau/dossiers/"), dossiers.queue, name="dossiers"),
    path(
        pgettext_lazy("url", "bureau/dossiers/ouvrir/"),
        dossiers.dossier_open,
        name="dossier_open",
    ),
    path(
        pgettext_lazy("url", "bureau/dossiers/<int:dossier_id>/"),
        dossiers.dossier_detail,
        name="dossier",
    ),
    path(
        pgettext_lazy("url", "bureau/dossiers/<int:dossier_id>/documents/<int:document_id>/"),
        dossiers.dossier_document,
        name="dossier_document",
    ),
    path(pgettext_lazy("url", "bureau/clients/"), clients.client_search, name="clients"),
    path(
        pgettext_lazy("url", "bureau/clients/inscrire/"),
        registration.register_client,
        name="register_client",
    ),
    path(
        pgettext_lazy("url", "bureau/clients/<int:client_id>/"),
        clients.client_detail,
        name="client",
    ),
    path(
        pgettext_lazy("url", "bureau/rendez-vous/<int:booking_id>/annuler/"),
        clients.booking_cancel,
        name="booking_cancel",
    ),
    path(
        pgettext_lazy("url", "bureau/rendez-vous/<int:booking_id>/reporter/"),
        clients.booking_reschedule,
        name="booking_reschedule",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/inscrire/"),
        clients.add_participant,
        name="add_participant",
    ),
    path(pgettext_lazy("url", "bureau/seances/nouvelle/"), calendar.session_create, name="create"),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/"),
        calendar.session_detail,
        name="session",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/places/"),
        calendar.session_capacity,
        name="capacity",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/annuler/"),
        calendar.session_cancel,
        name="cancel",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/presence/<int:booking_id>/"),
        calendar.attendance,
        name="attendance",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/modules/<int:position>/"),
        calendar.module_attendance,
        name="module_attendance",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/participants.pdf"),
        calendar.roster_pdf,
        name="roster_pdf",
    ),
    path(
        pgettext_lazy("url", "bureau/seances/<int:session_id>/participants.csv"),
        calendar.roster_csv,
        name="roster_csv",
    ),
]
