from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestBankConfig(AppConfig):
    name = "guichet.testbank"
    label = "testbank"
    verbose_name = _("Banque d'essai")
