from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "guichet.demo"
    verbose_name = "Demo data"
