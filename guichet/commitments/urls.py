from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "commitments"

urlpatterns = [
    path(pgettext_lazy("url", "declaration-de-services/"), views.declaration, name="declaration"),
    path(
        pgettext_lazy("url", "delais-de-traitement/"),
        views.processing_times,
        name="processing_times",
    ),
]
