from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "clients"

urlpatterns = [
    path(
        pgettext_lazy("url", "profil/creer/code/"),
        views.authorization_code,
        name="authorization_code",
    ),
    path(
        pgettext_lazy("url", "profil/creer/code/numero/"),
        views.authorization_identifier,
        name="authorization_identifier",
    ),
    path(pgettext_lazy("url", "inscription/"), views.registration_start, name="registration_start"),
    path(
        pgettext_lazy("url", "inscription/etape-<int:number>/"),
        views.registration_step,
        name="registration_step",
    ),
    path(
        pgettext_lazy("url", "inscription/confirmer-dossier/"),
        views.registration_confirm_record,
        name="registration_confirm_record",
    ),
    path(
        pgettext_lazy("url", "inscription/confirmation/"),
        views.registration_done,
        name="registration_done",
    ),
    path(pgettext_lazy("url", "inscription/statut/"), views.status_update, name="status_update"),
    path(pgettext_lazy("url", "profil/coordonnees/"), views.contact_update, name="contact_update"),
    path(
        pgettext_lazy("url", "code-utilisateur-oublie/"),
        views.forgot_user_code,
        name="forgot_user_code",
    ),
    path(
        pgettext_lazy("url", "code-utilisateur-oublie/envoye/"),
        views.forgot_user_code_sent,
        name="forgot_user_code_sent",
    ),
    path(
        pgettext_lazy("url", "acces-organisme/<str:token>/"),
        views.partner_access,
        name="partner_access",
    ),
]
