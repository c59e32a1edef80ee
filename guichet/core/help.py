"""« Aide » (seed 000, the icon table: « permet à l'utilisateur d'accéder à l'Aide en ligne »):
one short help page per journey; every screen's « Aide » link opens the one for its journey."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# topic -> its title (the template is core/help/<topic>.html)
TOPICS: dict[str, str | Promise] = {
    "profil": _("Créer et modifier son profil de consultation"),
    "inscription": _("S'inscrire au Service en ligne de prise de rendez-vous"),
    "rendez-vous": _("Prendre, reporter ou annuler un rendez-vous"),
    "dossier": _("Votre dossier Accompagnement Québec"),
    "messages": _("Centre des messages et documents"),
    "mon-projet-quebec": _("Mon projet Québec et la salle d'attente virtuelle"),
    "bureau": _("Bureau : calendrier, clients et dossiers"),
    "employeurs": _("Portail des employeurs"),
}

# The journey of a screen: its URL namespace, then a few screens of a shared namespace.
BY_NAMESPACE = {
    "appointments": "rendez-vous",
    "dossiers": "dossier",
    "messaging": "messages",
    "documents": "messages",
    "backoffice": "bureau",
    "clients": "inscription",
    "accounts": "profil",
    "intake": "mon-projet-quebec",
    "waitingroom": "mon-projet-quebec",
    "employers": "employeurs",
    "employer_registration": "employeurs",
}


def topic_of(request: HttpRequest) -> str:
    """The help topic of the page being shown ('' for pages outside any journey)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.url_name == "contact_update" or match.url_name == "status_update":
        return "profil"
    return BY_NAMESPACE.get(match.namespace, "")
