from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "payments"
urlpatterns = [
    path(pgettext_lazy("url", "paiements/retour/<str:token>/"), views.back, name="return"),
    path(
        pgettext_lazy("url", "paiements/payer/<slug:purpose>/<str:object_id>/"),
        views.pay,
        name="pay",
    ),
    path(
        pgettext_lazy("url", "paiements/bordereau/<str:reference>/"),
        views.slip,
        name="slip",
    ),
]
