from django.urls import path
from django.utils.translation import pgettext_lazy

from .views import registration

app_name = "employer_registration"

urlpatterns = [
    path(pgettext_lazy("url", "employeurs/inscription/"), registration.resume, name="resume"),
    path(
        pgettext_lazy("url", "employeurs/inscription/conditions/"), registration.terms, name="terms"
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/bienvenue/"),
        registration.welcome,
        name="welcome",
    ),
    path(pgettext_lazy("url", "employeurs/inscription/nip/"), registration.pin, name="pin"),
    path(
        pgettext_lazy("url", "employeurs/inscription/portail/"), registration.portal, name="portal"
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/reinscription/"),
        registration.reregistration,
        name="reregistration",
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/questions/"),
        registration.questions,
        name="questions",
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/commencer/"), registration.start, name="start"
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/coordonnees/"),
        registration.contact,
        name="contact",
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/entreprise/"),
        registration.company,
        name="company",
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/declaration/"),
        registration.declaration,
        name="declaration",
    ),
    path(
        pgettext_lazy("url", "employeurs/inscription/transmettre/"),
        registration.transmit,
        name="transmit",
    ),
    path(pgettext_lazy("url", "employeurs/inscription/transmise/"), registration.done, name="done"),
    path(pgettext_lazy("url", "employeurs/inscription/etat/"), registration.status, name="status"),
]
