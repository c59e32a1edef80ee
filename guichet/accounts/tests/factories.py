from typing import Any

import factory
from factory.django import DjangoModelFactory

from guichet.accounts.models import Role, User
from guichet.organisations.models import Organisation, OrganisationKind

PASSWORD = "Motdepasse2026"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisme {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.PARTNER


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usager{n:04d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Prénom"
    last_name = "Nom"
    role = Role.CLIENT
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda u: u.role == Role.PARTNER_STAFF),
        yes_declaration=factory.SubFactory(OrganisationFactory),
        no_declaration=factory.Maybe(
            factory.LazyAttribute(lambda u: u.role == Role.MINISTRY_STAFF),
            yes_declaration=factory.SubFactory(
                OrganisationFactory, kind=OrganisationKind.MINISTRY_OFFICE
            ),
            no_declaration=factory.Maybe(
                factory.LazyAttribute(lambda u: u.role == Role.EMPLOYER),
                yes_declaration=factory.SubFactory(
                    OrganisationFactory, kind=OrganisationKind.EMPLOYER
                ),
                no_declaration=None,
            ),
        ),
    )
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda u: u.role == Role.ADMIN)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_two_factor(user: User) -> User:
    """Staff must have a second factor before using any page."""
    from django.utils import timezone

    from guichet.accounts.models import TwoFactorDevice

    TwoFactorDevice.objects.get_or_create(
        user=user, defaults={"secret": TOTP_SECRET, "confirmed_at": timezone.now()}
    )
    return user


def staff(role: Role, organisation: Any = None) -> User:
    """A staff member (partner or ministry) who has set up the second factor."""
    user = UserFactory.create(role=role, organisation=organisation)
    return with_two_factor(user)
