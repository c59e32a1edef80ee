"""What the appointment rules say when they refuse, next to the rules (services raise
`refused(code)`): worded for the client, and for staff acting on a client's behalf."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.core.refusals import Refused

from .models import Booking

REFUSALS = {
    "full": gettext_lazy(
        "Cette séance est complète. Vous pouvez vous inscrire sur sa liste d'attente ou choisir "
        "une autre date."
    ),
    "already_booked": gettext_lazy("Vous êtes déjà inscrit à cette séance."),
    "already_booked_type": gettext_lazy(
        "Vous avez déjà un rendez-vous à venir de ce type. Annulez-le avant d'en prendre un autre."
    ),
    "not_eligible": gettext_lazy(
        "Selon votre statut, permis ou certificat et votre connaissance du français, ce type de "
        "rendez-vous ne vous est pas offert."
    ),
    "too_soon": gettext_lazy("Ce rendez-vous est trop proche pour être pris en ligne."),
    "too_far": gettext_lazy("Ce rendez-vous ne peut pas encore être pris."),
    "unavailable": gettext_lazy("Cette séance n'est plus offerte."),
    "not_full": gettext_lazy(
        "Cette séance a des places libres : choisissez-la et sauvegardez pour vous inscrire."
    ),
    "already_waiting": gettext_lazy("Vous êtes déjà sur la liste d'attente de cette séance."),
    "too_late": gettext_lazy("Le délai pour modifier ce rendez-vous en ligne est dépassé."),
    "other_slot_only": gettext_lazy(
        "Choisissez une autre plage horaire du même type, dans la même ville et le même organisme."
    ),
    "not_active": gettext_lazy("Ce rendez-vous a déjà été modifié."),
    "hold_expired": gettext_lazy("Le délai pour confirmer cette place est dépassé."),
    "missing_information": gettext_lazy(
        "Ce type de rendez-vous demande des renseignements complémentaires : remplissez-les "
        "avant de sauvegarder."
    ),
    "cancel_not_online": gettext_lazy(
        "Ce rendez-vous ne peut pas être annulé en ligne : communiquez avec l'organisme."
    ),
    "reschedule_not_online": gettext_lazy(
        "Ce rendez-vous ne peut pas être reporté en ligne : communiquez avec l'organisme."
    ),
}


# The same refusals worded for staff acting on a client's behalf (they are not the client).
STAFF_REFUSALS = {
    **REFUSALS,
    "full": gettext_lazy("Cette séance est complète."),
    "already_booked": gettext_lazy("Ce client est déjà inscrit à cette séance."),
    "already_booked_type": gettext_lazy(
        "Ce client a déjà un rendez-vous à venir de ce type. Annulez-le avant d'en prendre un "
        "autre."
    ),
    "not_eligible": gettext_lazy(
        "Selon le statut, permis ou certificat du client et sa connaissance du français, ce "
        "type de rendez-vous ne lui est pas offert."
    ),
    "already_waiting": gettext_lazy("Ce client est déjà sur la liste d'attente de cette séance."),
}


OVERLAP = gettext_lazy(
    "Ce rendez-vous chevauche un autre de vos rendez-vous : %(other)s. Choisissez une autre "
    "plage horaire, ou annulez l'autre rendez-vous d'abord."
)
STAFF_OVERLAP = gettext_lazy(
    "Ce rendez-vous chevauche un autre rendez-vous du client : %(other)s. Pour l'inscrire "
    "quand même, indiquez le motif du chevauchement."
)


def describe(booking: Booking) -> str:
    session = booking.session
    starts = timezone.localtime(session.starts_at)
    return _("%(type)s le %(date)s à %(time)s (%(organisation)s)") % {
        "type": session.appointment_type.title,
        "date": starts.strftime("%Y-%m-%d"),
        "time": starts.strftime("%H:%M"),
        "organisation": session.organisation.name,
    }


def refused(code: str, *, other: Booking | None = None) -> Refused:
    """The refusal for `code`, worded for the client; `for_staff` words it for staff acting on
    the client's behalf. `other` is the client's appointment in the way (an overlap)."""
    if code == "overlap" and other is not None:
        return Refused(code, str(OVERLAP) % {"other": describe(other)}, other=other)
    message = REFUSALS.get(code) or CALENDAR.get(code) or REFUSALS["unavailable"]
    return Refused(code, message, other=other)


def for_staff(refusal: Refused) -> str:
    other = refusal.context.get("other")
    if refusal.code == "overlap" and other is not None:
        return str(STAFF_OVERLAP) % {"other": describe(other)}
    if refusal.code in STAFF_REFUSALS:
        return str(STAFF_REFUSALS[refusal.code])
    return refusal.message


# The calendar work of partner organisations and ministry offices.
CALENDAR = {
    "modules_single": gettext_lazy("Une séance en plusieurs modules se crée pour une seule date."),
    "capacity_positive": gettext_lazy("Une séance compte au moins une place."),
    "below_taken": gettext_lazy(
        "Impossible : des clients occupent déjà plus de places que ce nombre."
    ),
    "already_cancelled": gettext_lazy("Cette séance est déjà annulée."),
    "attendance_only": gettext_lazy("Seule la présence (Complété ou Manqué) se marque ici."),
    "not_started": gettext_lazy("La présence se marque une fois la séance commencée."),
}
