from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.backoffice"
    verbose_name = "Bureau (partenaires et Ministère)"
