from django.urls import path
from django.utils.translation import pgettext_lazy

from .views import account, gckey, offers

app_name = "employers"

urlpatterns = [
    path(pgettext_lazy("url", "employeurs/"), gckey.EmployerLoginView.as_view(), name="login"),
    path(pgettext_lazy("url", "employeurs/cle/modalites/"), gckey.terms, name="gckey_terms"),
    path(
        pgettext_lazy("url", "employeurs/cle/nom-utilisateur/"),
        gckey.username,
        name="gckey_username",
    ),
    path(
        pgettext_lazy("url", "employeurs/cle/mot-de-passe/"), gckey.password, name="gckey_password"
    ),
    path(pgettext_lazy("url", "employeurs/cle/questions/"), gckey.recovery, name="gckey_recovery"),
    path(pgettext_lazy("url", "employeurs/cle/complete/"), gckey.created, name="gckey_created"),
    path(
        pgettext_lazy("url", "employeurs/cle/mot-de-passe-oublie/"),
        gckey.forgot,
        name="gckey_forgot",
    ),
    path(
        pgettext_lazy("url", "employeurs/cle/mot-de-passe-oublie/reponses/"),
        gckey.forgot_answers,
        name="gckey_forgot_answers",
    ),
    path(
        pgettext_lazy("url", "employeurs/cle/mot-de-passe-oublie/nouveau/"),
        gckey.forgot_password,
        name="gckey_forgot_password",
    ),
    path(pgettext_lazy("url", "employeurs/compte/"), account.home, name="home"),
    path(pgettext_lazy("url", "employeurs/compte/utilisateurs/"), account.users, name="users"),
    path(pgettext_lazy("url", "employeurs/fermeture-de-session/"), account.logout, name="logout"),
    path(pgettext_lazy("url", "employeurs/offres/"), offers.offer_list, name="offers"),
    path(pgettext_lazy("url", "employeurs/offres/nouvelle/"), offers.offer_new, name="offer_new"),
    path(pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/"), offers.offer, name="offer"),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/formulaire/<slug:key>/"),
        offers.offer_section,
        name="offer_section",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/liste-de-controle/"),
        offers.offer_checklist,
        name="offer_checklist",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/declaration/"),
        offers.offer_declaration,
        name="offer_declaration",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/transmettre/"),
        offers.offer_transmit,
        name="offer_transmit",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/visionner/"),
        offers.offer_view,
        name="offer_view",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/offre.pdf"),
        offers.offer_pdf,
        name="offer_pdf",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/retirer/"),
        offers.offer_withdraw,
        name="offer_withdraw",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/travailleur/"),
        offers.offer_worker,
        name="offer_worker",
    ),
    path(
        pgettext_lazy("url", "employeurs/offres/<int:dossier_id>/travailleur.pdf"),
        offers.offer_worker_pdf,
        name="offer_worker_pdf",
    ),
]
