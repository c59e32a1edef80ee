from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    EMPLOYER = "employer", _("Employeur")
    PARTNER_STAFF = "partner_staff", _("Personnel d'un organisme partenaire")
    MINISTRY_STAFF = "ministry_staff", _("Personnel du Ministère")
    ADMIN = "admin", _("Administrateur")


STAFF_ROLES = frozenset({Role.PARTNER_STAFF, Role.MINISTRY_STAFF, Role.ADMIN})


class Source(models.TextChoices):
    """Who acted (seed 000, column « Source »), recorded with every change."""

    CLIENT = "client", _("Client")
    PARTNER = "partner", _("Partenaire")
    MINISTRY = "ministry", _("Ministère")
    SYSTEM = "system", _("Système")


class GuichetUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # User codes are unique regardless of case (seed 000 §3.3): log in the same way.
        return self.get(username__iexact=username)


class User(AbstractUser):
    """Every person who signs in: clients, employer users, partner and ministry staff, admins.

    `username` is the seed's « code d'utilisateur ».
    """

    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.CLIENT)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    preferred_language = models.CharField(
        _("langue de correspondance"),
        max_length=2,
        choices=[("fr", _("Français")), ("en", _("English"))],
        default="fr",
    )

    objects: ClassVar[GuichetUserManager] = GuichetUserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            # Partner staff always belong to one organisation; clients and employers never do.
            models.CheckConstraint(
                condition=~models.Q(role="partner_staff") | models.Q(organisation__isnull=False),
                name="user_partner_staff_has_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["client", "employer"])
                | models.Q(organisation__isnull=True),
                name="user_public_has_no_organisation",
            ),
            # Only administrators reach the Django admin.
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role="admin"),
                name="user_only_admins_are_django_staff",
            ),
        ]

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def source(self) -> str:
        """The « Source » this user's actions are recorded under."""
        return {
            Role.CLIENT: Source.CLIENT,
            Role.EMPLOYER: Source.CLIENT,
            Role.PARTNER_STAFF: Source.PARTNER,
            Role.MINISTRY_STAFF: Source.MINISTRY,
            Role.ADMIN: Source.MINISTRY,
        }[Role(self.role)]
