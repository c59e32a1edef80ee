from django.urls import path
from django.utils.translation import pgettext_lazy

from . import personal, views

app_name = "accounts"

urlpatterns = [
    path(pgettext_lazy("url", "connexion/"), views.GuichetLoginView.as_view(), name="login"),
    path(pgettext_lazy("url", "connexion/verification/"), views.login_verify, name="login_verify"),
    path(pgettext_lazy("url", "connexion/question/"), views.login_question, name="login_question"),
    path(pgettext_lazy("url", "quitter/"), views.logout_view, name="logout"),
    path(pgettext_lazy("url", "session/prolonger/"), views.keepalive, name="keepalive"),
    path(pgettext_lazy("url", "session/expiree/"), views.session_expired, name="session_expired"),
    path(
        pgettext_lazy("url", "profil/double-authentification/"),
        views.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        pgettext_lazy("url", "profil/double-authentification/desactiver/"),
        views.two_factor_disable,
        name="two_factor_disable",
    ),
    path(pgettext_lazy("url", "profil/nouveau/"), views.profile_start, name="profile_start"),
    path(pgettext_lazy("url", "profil/creer/"), views.profile_create, name="profile_create"),
    path(
        pgettext_lazy("url", "profil/creer/securite/"),
        views.profile_create_security,
        name="profile_create_security",
    ),
    path(
        pgettext_lazy("url", "profil/creer/confirmation/"),
        views.profile_created,
        name="profile_created",
    ),
    path(
        pgettext_lazy("url", "mot-de-passe-oublie/"), views.forgot_password, name="forgot_password"
    ),
    path(
        pgettext_lazy("url", "mot-de-passe-oublie/question/"),
        views.forgot_password_question,
        name="forgot_password_question",
    ),
    path(
        pgettext_lazy("url", "mot-de-passe-oublie/envoye/"),
        views.forgot_password_sent,
        name="forgot_password_sent",
    ),
    path(pgettext_lazy("url", "profil/"), views.profile_update, name="profile_update"),
    path(
        pgettext_lazy("url", "profil/courriel/"),
        views.email_verification,
        name="email_verification",
    ),
    path(
        pgettext_lazy("url", "profil/courriel/confirmer/<str:token>/"),
        views.verify_email,
        name="verify_email",
    ),
    path(
        pgettext_lazy("url", "profil/renseignements-personnels/"),
        personal.personal_profile,
        name="personal_profile",
    ),
    path(
        pgettext_lazy("url", "profil/mot-de-passe/"), views.password_change, name="password_change"
    ),
]
