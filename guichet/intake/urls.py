from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "intake"

urlpatterns = [
    path(pgettext_lazy("url", "mon-projet-quebec/"), views.home, name="home"),
    path(pgettext_lazy("url", "mon-projet-quebec/commencer/"), views.start, name="start"),
    path(
        pgettext_lazy("url", "mon-projet-quebec/demande/<slug:section_key>/"),
        views.section,
        name="section",
    ),
    path(pgettext_lazy("url", "mon-projet-quebec/soumettre/"), views.submit, name="submit"),
    path(
        pgettext_lazy("url", "mon-projet-quebec/consultation-des-documents/"),
        views.consultation,
        name="documents",
    ),
    path(
        pgettext_lazy("url", "mon-projet-quebec/modification/"),
        views.modification,
        name="modification",
    ),
]
