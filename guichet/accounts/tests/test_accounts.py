import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import PASSWORD, OrganisationFactory, UserFactory
from guichet.audit.models import AuditEvent
from guichet.core.actor import Source

pytestmark = pytest.mark.django_db


def test_partner_staff_must_belong_to_an_organisation() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="partenaire01", role=Role.PARTNER_STAFF, organisation=None)


def test_clients_never_belong_to_an_organisation() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="client0001", role=Role.CLIENT, organisation=OrganisationFactory.create()
        )


def test_only_administrators_can_be_django_staff() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="agent00001", role=Role.MINISTRY_STAFF, is_staff=True)


def test_user_codes_are_unique_whatever_the_case() -> None:
    UserFactory.create(username="BrAnDfOrD04")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory.create(username="brandford04")


@pytest.mark.parametrize(
    ("role", "source"),
    [
        (Role.CLIENT, Source.CLIENT),
        (Role.EMPLOYER, Source.EMPLOYER),
        (Role.PARTNER_STAFF, Source.PARTNER),
        (Role.MINISTRY_STAFF, Source.MINISTRY),
        (Role.ADMIN, Source.MINISTRY),
    ],
)
def test_each_role_acts_under_its_source(role: Role, source: Source) -> None:
    assert UserFactory.create(role=role).source == source


def test_login_accepts_the_user_code_in_any_case_and_is_audited(client: Client) -> None:
    user = UserFactory.create(username="BrAnDfOrD04")
    response = client.post(
        reverse("accounts:login"), {"username": "brandford04", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    event = AuditEvent.objects.get(action="account.login")
    assert event.actor_id == user.pk
    assert event.source == Source.CLIENT
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_password_shows_the_error_and_keeps_the_user_code(client: Client) -> None:
    UserFactory.create(username="BrAnDfOrD04")
    response = client.post(
        reverse("accounts:login"), {"username": "BrAnDfOrD04", "password": "mauvais"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le code d&#x27;utilisateur ou le mot de passe est invalide" in html
    assert 'value="BrAnDfOrD04"' in html
    assert 'class="error-summary"' in html
    assert not AuditEvent.objects.filter(action="account.login").exists()


def test_logout_asks_for_confirmation_then_ends_the_session(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    confirm = client.get(reverse("accounts:logout"))
    assert confirm.status_code == 200
    assert "Voulez-vous vraiment fermer votre session?" in confirm.content.decode()
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.logout", actor_id=user.pk).exists()


def test_passwords_are_hashed_with_argon2(settings) -> None:
    from django.conf import settings as real

    settings.PASSWORD_HASHERS = [h for h in real.PASSWORD_HASHERS if "MD5" not in h]
    assert UserFactory.create().password.startswith("argon2$")


def test_each_person_lands_where_their_work_is(client: Client) -> None:
    """Issue 13 #11: everyone landed on the public home page after signing in."""
    from guichet.clients.tests.factories import ClientFactory

    newcomer = UserFactory.create(username="Nouveau0001")
    registered = UserFactory.create(username="Inscrit0001")
    ClientFactory.create(user=registered)
    partner = UserFactory.create(username="Partenaire01", role=Role.PARTNER_STAFF)
    expected = {
        newcomer: reverse("core:home"),
        registered: reverse("appointments:mine"),
    }
    for user, where in expected.items():
        response = Client().post(
            reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
        )
        assert response["Location"] == where
    # Staff without a second factor yet still sign in first, then land in the Bureau.
    from guichet.accounts.views import landing_url

    assert landing_url(partner) == reverse("backoffice:calendar")
    # A page that asked for the sign-in wins.
    asked = Client().post(
        reverse("accounts:login") + "?next=" + reverse("accounts:profile_update"),
        {"username": "Inscrit0001", "password": PASSWORD},
    )
    assert asked["Location"] == reverse("accounts:profile_update")
