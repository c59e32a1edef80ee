from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "guichet.employers"
    verbose_name = _("Portail des employeurs")
