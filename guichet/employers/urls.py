from django.urls import path
from django.utils.translation import pgettext_lazy

from .views import account, gckey

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
]
