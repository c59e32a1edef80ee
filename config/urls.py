from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from guichet.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("livez", core_views.livez, name="livez"),
    # Server to server: the providers' notifications, « Banque d'essai »'s API.
    path("paiements/", include("guichet.payments.notify_urls")),
    path("banque-essai/", include("guichet.testbank.urls")),
]

urlpatterns += i18n_patterns(
    # First: on an opening day the waiting room's polls are most of the traffic, and Django
    # tries the patterns in order (about 1 ms per request when this came after the others).
    path("", include("guichet.waitingroom.urls")),
    path("", include("guichet.core.urls")),
    path("", include("guichet.accounts.urls")),
    path("", include("guichet.clients.urls")),
    path("", include("guichet.appointments.urls")),
    path("", include("guichet.messaging.urls")),
    path("", include("guichet.documents.urls")),
    path("", include("guichet.dossiers.urls")),
    path("", include("guichet.employers.urls")),
    path("", include("guichet.employers.registration_urls")),
    path("", include("guichet.intake.urls")),
    path("", include("guichet.backoffice.urls")),
    path("", include("guichet.payments.urls")),
    path("", include("guichet.commitments.urls")),
    path("", include("guichet.complaints.urls")),
    path("banque-essai/", include("guichet.testbank.page_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "guichet.core.views.error_403"
handler404 = "guichet.core.views.error_404"
handler500 = "guichet.core.views.error_500"
