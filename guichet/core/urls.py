from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path(pgettext_lazy("url", "confidentialite/"), views.privacy, name="privacy"),
    path(pgettext_lazy("url", "securite/"), views.security, name="security"),
    path(pgettext_lazy("url", "accessibilite/"), views.accessibility, name="accessibility"),
    path(pgettext_lazy("url", "nous-joindre/"), views.contact, name="contact"),
    path(
        pgettext_lazy("url", "specifications-techniques/"),
        views.technical_requirements,
        name="technical_requirements",
    ),
    path(pgettext_lazy("url", "aide/"), views.help_index, name="help_index"),
    path(pgettext_lazy("url", "aide/<slug:topic>/"), views.help_topic, name="help"),
    path(pgettext_lazy("url", "dev/courriels/"), views.dev_mailbox, name="dev_mailbox"),
    path(pgettext_lazy("url", "dev/courriels/<str:name>/"), views.dev_mail, name="dev_mail"),
    path(
        pgettext_lazy("url", "dev/courriels/<str:name>/brut/"),
        views.dev_mail_raw,
        name="dev_mail_raw",
    ),
    path(pgettext_lazy("url", "dev/composants/"), views.components, name="components"),
]
