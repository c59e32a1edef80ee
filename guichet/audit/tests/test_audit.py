import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory, with_two_factor
from guichet.audit.models import AuditEvent
from guichet.audit.services import REDACTED, audit
from guichet.core.actor import Actor, Source, client_ip

pytestmark = pytest.mark.django_db


def test_it_records_actor_source_object_and_ip() -> None:
    agent = UserFactory.create(role=Role.PARTNER_STAFF)
    organisation = OrganisationFactory.create()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    event = audit(Actor.of(agent, ip=client_ip(request)), "organisation.viewed", organisation)
    event.refresh_from_db()
    assert event.source == Source.PARTNER
    assert event.actor_label == agent.username
    assert event.object_type == "organisations.organisation"
    assert event.object_id == str(organisation.pk)
    assert event.ip_address == "10.1.2.3"


def test_a_system_action_has_the_source_systeme() -> None:
    assert (
        audit(None, "dossier.expired", object_type="dossier", object_id=7).source == Source.SYSTEM
    )


def test_secrets_never_reach_the_trail() -> None:
    event = audit(
        None,
        "account.password_changed",
        details={
            "password": "Secret123",
            "security_answer": "Paris",
            "nested": [{"token": "abc", "field": "email"}],
            "changed": ["email"],
        },
    )
    event.refresh_from_db()
    assert event.details == {
        "password": REDACTED,
        "security_answer": REDACTED,
        "nested": [{"token": REDACTED, "field": "email"}],
        "changed": ["email"],
    }


def test_the_database_refuses_to_change_an_event() -> None:
    event = audit(None, "x.created")
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="x.forged")
    event.refresh_from_db()
    assert event.action == "x.created"


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_an_event() -> None:
    event = audit(None, "x.created")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_erasing_an_account_keeps_its_trail() -> None:
    user = UserFactory.create()
    audit(user, "account.login", user)
    user.delete()
    event = AuditEvent.objects.get(action="account.login")
    assert event.actor_label == user.username


def test_administrators_read_the_trail_but_cannot_add_change_or_delete(client: Client) -> None:
    event = audit(None, "x.created")
    client.force_login(with_two_factor(UserFactory.create(role=Role.ADMIN)))
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403


@pytest.mark.django_db
def test_the_object_column_says_what_it_is() -> None:
    """Issue 13 #18: raw ids (« appointments.booking 3 ») in the audit trail's « Objet »."""
    from guichet.audit.models import AuditEvent

    event = AuditEvent(object_type="appointments.booking", object_id="3")
    assert event.object_label == "Rendez-vous n° 3"
    assert AuditEvent(object_type="inconnu.truc", object_id="1").object_label == "inconnu.truc 1"
    assert AuditEvent().object_label == ""
