from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "documents"

urlpatterns = [
    path(pgettext_lazy("url", "mes-documents/"), views.my_documents, name="mine"),
    path(
        pgettext_lazy("url", "mes-documents/<int:document_id>/telecharger/"),
        views.download,
        name="download",
    ),
]
