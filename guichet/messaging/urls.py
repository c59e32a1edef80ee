from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "messaging"

urlpatterns = [
    path(pgettext_lazy("url", "messages/"), views.inbox, name="inbox"),
    path(pgettext_lazy("url", "messages/<int:thread_id>/"), views.thread, name="thread"),
]
