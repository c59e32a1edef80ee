from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path(pgettext_lazy("url", "connexion/"), views.GuichetLoginView.as_view(), name="login"),
    path(pgettext_lazy("url", "quitter/"), views.logout_view, name="logout"),
]
