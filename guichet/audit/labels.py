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
}
