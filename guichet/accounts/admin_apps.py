from django.contrib.admin.apps import AdminConfig


class GuichetAdminConfig(AdminConfig):
    """The Django admin, open to administrators only (see guichet.accounts.admin_site)."""

    default_site = "guichet.accounts.admin_site.GuichetAdminSite"
