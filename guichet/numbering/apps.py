from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumberingConfig(AppConfig):
    name = "guichet.numbering"
    verbose_name = _("Numérotation")
