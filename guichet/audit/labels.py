"""What each audited action is called in the journal (« Journal d'audit »)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "booking.created": _("Rendez-vous pris"),
    "booking.cancelled": _("Rendez-vous annulé"),
    "booking.rescheduled": _("Rendez-vous reporté ou devancé"),
    "booking.attendance": _("Présence marquée"),
    "booking.marked_missed": _("Rendez-vous marqués manqués"),
    "session.cancelled": _("Séance annulée"),
    "session.capacity_changed": _("Nombre de places modifié"),
    "sessions.created": _("Séances créées"),
    "waitlist.joined": _("Inscription sur la liste d'attente"),
    "waitlist.left": _("Retrait de la liste d'attente"),
    "waitlist.offered": _("Place offerte (liste d'attente)"),
    "client.registered": _("Inscription au Service"),
    "client.linked": _("Client relié à un dossier du Ministère"),
    "client.profile_linked": _("Profil de consultation relié"),
    "client.authorization_code_issued": _("Code d'autorisation émis"),
    # The commissioner's trail (complaints.trail).
    "complaint.submitted": _("Message reçu"),
    "complaint.email_confirmed": _("Courriel confirmé : message transmis"),
    "complaint.read": _("Message consulté"),
    "complaint.acknowledged": _("Accusé de réception envoyé"),
    "complaint.draft_saved": _("Projet de réponse enregistré"),
    "complaint.answered": _("Réponse envoyée"),
    "complaint.closed": _("Plainte fermée"),
    "complaint.link_sent": _("Nouveau lien de suivi envoyé"),
    "commitment.suspended": _("Délai suspendu"),
    "commitment.resumed": _("Délai repris"),
    "commitment.breach_explained": _("Motif du manquement donné"),
}
