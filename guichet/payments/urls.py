from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "payments"
urlpatterns = [
    path(pgettext_lazy("url", "paiements/retour/<str:token>/"), views.back, name="return"),
]
