"""Inscription au Service en ligne de prise de rendez-vous (seed 000 §4.4 to 4.11)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.test import TestCase
from django.urls import reverse

from guichet.accounts.models import User
from guichet.accounts.tests.factories import UserFactory
from guichet.audit.models import AuditEvent
from guichet.clients.models import Client, ImmigrationStatus, Locality
from guichet.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def step_url(n: int) -> str:
    return reverse("clients:registration_step", kwargs={"number": n})


def brandford_steps() -> dict[int, dict[str, str]]:
    """The seed's example: Bernard Brandford, new client, CIC 58200462."""
    return {
        1: {
            "status": str(ImmigrationStatus.objects.get(code="permanent_resident").pk),
            "status_granted_on": "2012-09-13",
        },
        2: {
            "existing_client": "non",
            "last_name": "Brandford",
            "first_name": "Bernard",
            "birth_date": "1978-05-05",
            "sex": "M",
            "reference_number": "",
            "client_number": "",
            "cic_client_id": "58200462",
            "email": "requerant@example.org",
            "email_confirm": "requerant@example.org",
        },
        3: {
            "street_number": "600",
            "street": "10e Rue",
            "apartment": "",
            "po_box": "",
            "locality": str(Locality.objects.get(name="Québec").pk),
            "postal_code": "g1j2n7",
            "phone_home": "(418) 832-4444",
            "phone_work": "",
            "phone_work_ext": "",
            "phone_other": "",
        },
        4: {
            "french_sufficient": "oui",
            "informed_by": "embassy",
            "professional_domain": "Infirmier",
            "intended_profession": "Infirmier",
            "schooling": "15-16",
        },
        5: {"accept": "on"},
    }


@pytest.fixture
def person(client: HttpClient) -> User:
    user = UserFactory.create(username="BrAnDfOrD04", email="requerant@example.org")
    client.force_login(user)
    return user


def walk(client: HttpClient, steps: dict[int, dict[str, str]], upto: int = 5) -> Any:
    response = None
    for n in range(1, upto + 1):
        response = client.post(step_url(n), {**steps[n], "action": "next"})
    return response


def field_errors(response: Any) -> str:
    return html.unescape(
        " ".join(
            re.findall(r'class="field__error"[^>]*>(.*?)</p>', response.content.decode(), re.S)
        )
    )


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_six_steps_register_the_client_with_a_number_shown_and_emailed(
    client: HttpClient, person: User, django_capture_on_commit_callbacks: Any
) -> None:
    steps = brandford_steps()
    response = walk(client, steps)
    assert response["Location"] == step_url(6)
    verify = client.get(step_url(6)).content.decode()
    for shown in [
        "Brandford",
        "1978-05-05",
        "58200462",
        "G1J 2N7",
        "418 832-4444",
        "15 à 16 ans",
        "Résident permanent au Canada",
    ]:
        assert shown in verify
    assert verify.count(">Modifier<") == 4
    assert not Client.objects.exists()  # nothing saved before step 6 is confirmed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(6), {"action": "next"})
    assert response["Location"] == reverse("clients:registration_done")
    registered = Client.objects.get(user=person)
    assert re.fullmatch(r"\d{5}", registered.client_number)
    assert registered.postal_code == "G1J 2N7"
    assert registered.phone_home == "418 832-4444"
    assert registered.french_sufficient is True
    assert registered.consents_to_partner_access
    assert registered.declaration_accepted_at is not None
    page = client.get(response["Location"]).content.decode()
    assert f"<strong>{registered.client_number}</strong>" in page
    # SUIVANT leads to « Sélectionner un rendez-vous » (seed 000 §4.11), issue 13 #11.
    assert f'href="{reverse("appointments:mine")}">Suivant</a>' in page
    assert len(mail.outbox) == 1
    assert (
        mail.outbox[0].subject
        == "Confirmation d'inscription au Service en ligne de prise de rendez-vous"
    )
    assert registered.client_number in mail.outbox[0].body
    assert "Brandford" not in mail.outbox[0].body  # no personal data beyond the number
    assert AuditEvent.objects.filter(
        action="client.registered", object_id=str(registered.pk)
    ).exists()
    assert "registration" not in client.session


def test_previous_keeps_what_was_typed_even_if_invalid(client: HttpClient, person: User) -> None:
    steps = brandford_steps()
    walk(client, steps, upto=1)
    typed = {**steps[2], "first_name": "", "action": "previous"}
    response = client.post(step_url(2), typed)
    assert response["Location"] == step_url(1)
    page = client.get(step_url(2)).content.decode()
    assert 'value="Brandford"' in page
    assert 'value="58200462"' in page


def test_steps_cannot_be_skipped(client: HttpClient, person: User) -> None:
    assert client.get(step_url(4))["Location"] == step_url(1)
    walk(client, brandford_steps(), upto=2)
    assert client.get(step_url(5))["Location"] == step_url(3)


def test_an_ineligible_status_shows_the_seed_message_and_registers_nothing(
    client: HttpClient, person: User
) -> None:
    other = ImmigrationStatus.objects.get(code="other")
    response = client.post(
        step_url(1), {"status": other.pk, "status_granted_on": "2020-01-01", "action": "next"}
    )
    assert response.status_code == 200
    assert "votre statut ne vous permet pas d'utiliser ce service" in text(response)
    assert "registration" not in client.session
    assert not Client.objects.exists()


def test_eligibility_is_data(client: HttpClient, person: User) -> None:
    ImmigrationStatus.objects.filter(code="other").update(eligible=True)
    other = ImmigrationStatus.objects.get(code="other")
    response = client.post(
        step_url(1), {"status": other.pk, "status_granted_on": "2020-01-01", "action": "next"}
    )
    assert response["Location"] == step_url(2)


def test_a_person_already_registered_under_another_profile_is_refused(
    client: HttpClient, person: User
) -> None:
    ClientFactory.create(
        user=UserFactory.create(),
        last_name="BRANDFORD",
        first_name="Bernard",
        birth_date="1978-05-05",
        sex="M",
    )
    steps = brandford_steps()
    walk(client, steps, upto=1)
    response = client.post(step_url(2), {**steps[2], "action": "next"})
    assert "vous vous êtes déjà enregistré" in response.content.decode()
    assert Client.objects.count() == 1


def test_an_existing_ministry_client_is_linked_not_duplicated(
    client: HttpClient, person: User
) -> None:
    draco = ClientFactory.create(user=None, reference_number="C3333726", client_number="31337")
    steps = brandford_steps()
    steps[2] = {
        **steps[2],
        "existing_client": "oui",
        "last_name": "Diablos",
        "first_name": "Draco",
        "birth_date": "1980-10-01",
        "reference_number": "c3333726",
        "cic_client_id": "",
    }
    walk(client, steps)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(step_url(6), {"action": "next"})
    # The record has an address on file: the code sent there proves it is the person's.
    assert response["Location"] == reverse("clients:registration_confirm_record")
    draco.refresh_from_db()
    assert draco.user is None
    (message,) = mail.outbox
    assert message.to == [draco.email] and "Diablos" not in message.body
    code = re.search(r"Code de confirmation : (\S+)", str(message.body))
    assert code is not None
    wrong = client.post(reverse("clients:registration_confirm_record"), {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 422 and "pas valide" in wrong.content.decode()
    done = client.post(reverse("clients:registration_confirm_record"), {"code": code.group(1)})
    assert done["Location"] == reverse("clients:registration_done")
    draco.refresh_from_db()
    assert draco.user == person
    assert draco.client_number == "31337"
    assert Client.objects.count() == 1
    assert AuditEvent.objects.filter(action="client.linked").exists()


def test_a_record_with_an_address_is_never_linked_without_its_code(
    client: HttpClient, person: User
) -> None:
    """Security finding 2: the right identity and number linked the record at once."""
    from guichet.clients.services import RecordNotConfirmed, register_client

    draco = ClientFactory.create(
        user=None, reference_number="C3333726", email="draco.vrai@example.org"
    )
    steps = brandford_steps()
    steps[2] = {
        **steps[2],
        "last_name": draco.last_name,
        "first_name": draco.first_name,
        "birth_date": draco.birth_date.isoformat(),
        "sex": draco.sex,
        "reference_number": "C3333726",
        "cic_client_id": "",
    }
    walk(client, steps)
    client.post(step_url(6), {"action": "next"})
    assert client.post(step_url(6), {"action": "next"}).status_code == 302  # again: one code
    draco.refresh_from_db()
    assert draco.user is None
    from guichet.clients.views import _cleaned

    request = type("R", (), {"session": client.session})()
    with pytest.raises(RecordNotConfirmed):
        register_client(actor=person, data=_cleaned(request))


def test_guessing_birth_dates_locks_the_account_and_the_record(
    client: HttpClient, person: User
) -> None:
    """Security finding 2: 39 wrong birth dates in 12 s, no lock."""
    draco = ClientFactory.create(user=None, reference_number="C3333726", birth_date="1980-10-01")
    steps = brandford_steps()
    walk(client, steps, upto=1)
    guess = {
        **steps[2],
        "last_name": draco.last_name,
        "first_name": draco.first_name,
        "sex": draco.sex,
        "reference_number": "C3333726",
        "cic_client_id": "",
        "action": "next",
    }
    for day in range(2, 6):
        response = client.post(step_url(2), {**guess, "birth_date": f"1980-10-{day:02d}"})
        assert response.status_code == 200
    assert client.post(step_url(2), {**guess, "birth_date": "1980-10-06"}).status_code == 429
    # Even the right date is refused now, and from another account too: the record is locked.
    assert client.post(step_url(2), {**guess, "birth_date": "1980-10-01"}).status_code == 429
    other = HttpClient()
    other.force_login(UserFactory.create())
    walk(other, steps, upto=1)
    assert other.post(step_url(2), {**guess, "birth_date": "1980-10-01"}).status_code == 429
    assert AuditEvent.objects.filter(action="client.identity_mismatch").count() == 5


def test_an_identifier_of_someone_else_is_refused(client: HttpClient, person: User) -> None:
    ClientFactory.create(user=None, reference_number="C3333726")
    steps = brandford_steps()
    walk(client, steps, upto=1)
    response = client.post(
        step_url(2), {**steps[2], "reference_number": "C3333726", "action": "next"}
    )
    assert "ne correspondent pas à notre dossier" in response.content.decode()


@pytest.mark.parametrize(
    ("step", "changes", "message"),
    [
        (1, {"status_granted_on": "2999-01-01"}, "futur"),
        (1, {"status_granted_on": "13/09/2012"}, "aaaa-mm-jj"),
        (
            2,
            {"cic_client_id": "", "reference_number": "", "client_number": ""},
            "au moins l'un des trois",
        ),
        (2, {"cic_client_id": "1234"}, "8 ou 10 chiffres"),
        (2, {"client_number": "12"}, "5 chiffres"),
        (2, {"reference_number": "C-33"}, "8 à 11"),
        (2, {"email_confirm": "autre@example.org"}, "ne sont pas identiques"),
        (3, {"postal_code": "M5V 2T6"}, "code postal du Québec"),
        (3, {"phone_home": "555-1234"}, "10 chiffres"),
        (3, {"phone_home": ""}, "obligatoire"),
        (3, {"locality": ""}, "obligatoire"),
        (4, {"french_sufficient": ""}, "obligatoire"),
        (5, {"accept": ""}, "J'accepte"),
    ],
)
def test_each_step_refuses_bad_input_next_to_the_field(
    client: HttpClient, person: User, step: int, changes: dict[str, str], message: str
) -> None:
    steps = brandford_steps()
    walk(client, steps, upto=step - 1)
    response = client.post(step_url(step), {**steps[step], **changes, "action": "next"})
    assert response.status_code == 200
    assert message in field_errors(response) or message in text(response)
    assert 'class="error-summary"' in response.content.decode()


def test_a_registered_client_updates_status_and_french_level(
    client: HttpClient, person: User
) -> None:
    registered = ClientFactory.create(user=person, french_sufficient=False)
    student = ImmigrationStatus.objects.get(code="foreign_student")
    response = client.post(
        reverse("clients:status_update"),
        {"status": student.pk, "status_granted_on": "2024-08-01", "french_sufficient": "oui"},
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.status == student
    assert registered.french_sufficient is True
    event = AuditEvent.objects.get(action="client.status_updated")
    assert set(event.details["changed"]) == {"status", "status_granted_on", "french_sufficient"}


def test_a_registered_client_updates_contact_details(client: HttpClient, person: User) -> None:
    registered = ClientFactory.create(user=person)
    steps = brandford_steps()
    url = reverse("clients:contact_update")
    page = html.unescape(client.get(url).content.decode())
    # The seed's screen (§6.3), in its order: Pays and Adresse de correspondance first, then the
    # address, the postal box, the numbers and Télécopieur.
    labels = ["Pays", "Adresse de correspondance", "Case et succursale postales", "Télécopieur"]
    positions = [page.index(f">{label}") for label in labels]
    assert positions == sorted(positions)
    assert 'value="CA" selected' in page
    response = client.post(
        url,
        {
            **steps[3],
            "phone_other": "514 777-8787",
            "country": "CA",
            "correspondence_address": "55 hwy qainin, ops.742",
            "fax": "514 777-0000",
        },
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.phone_other == "514 777-8787"
    assert registered.correspondence_address == "55 hwy qainin, ops.742"
    assert registered.fax == "514 777-0000" and registered.country == "CA"
    assert AuditEvent.objects.filter(action="client.contact_updated").exists()


def test_registration_and_updates_are_for_clients_only(client: HttpClient) -> None:
    from guichet.accounts.models import Role

    client.force_login(UserFactory.create(role=Role.EMPLOYER))
    assert client.get(reverse("clients:registration_start")).status_code == 403
    assert client.get(reverse("clients:status_update")).status_code == 403


def test_forgotten_user_code_is_emailed_and_the_screen_says_the_same_either_way(
    client: HttpClient,
) -> None:
    owner = UserFactory.create(username="DracoD1980", email="draco@example.org")
    ClientFactory.create(user=owner, reference_number="C3333726")
    form = {
        "first_name": "draco",
        "last_name": "DIABLOS",
        "birth_date": "1980-10-01",
        "sex": "M",
        "reference_number": "",
        "client_number": "",
        "email": "draco@example.org",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("clients:forgot_user_code"), form)
    assert response["Location"] == reverse("clients:forgot_user_code_sent")
    assert len(mail.outbox) == 1 and "DracoD1980" in mail.outbox[0].body
    wrong = client.post(reverse("clients:forgot_user_code"), {**form, "birth_date": "1980-10-02"})
    assert wrong["Location"] == reverse("clients:forgot_user_code_sent")
    assert len(mail.outbox) == 1
    page = client.get(wrong["Location"]).content.decode()
    assert "DracoD1980" not in page  # never shown


def test_forgotten_user_code_needs_one_of_the_three_identifiers(client: HttpClient) -> None:
    response = client.post(
        reverse("clients:forgot_user_code"),
        {"first_name": "Draco", "last_name": "Diablos", "birth_date": "1980-10-01", "sex": "M"},
    )
    assert response.status_code == 200
    assert "l'un des trois champs" in text(response)


def test_the_wizard_keeps_only_its_own_fields_and_a_bounded_size(
    client: HttpClient, person: User
) -> None:
    """Security finding 13: one POST of arbitrary fields made a 2.3 MB session row."""
    steps = brandford_steps()
    junk = {f"junk{n}": "x" * 10_000 for n in range(50)}
    client.post(step_url(1), {**steps[1], **junk, "action": "next"})
    kept = client.session["registration"]["1"]
    assert set(kept) == set(steps[1])
    client.post(step_url(2), {**steps[2], "last_name": "y" * 100_000, "action": "next"})
    assert len(client.session["registration"]["2"]["last_name"]) == 1000
    stored = client.session.session_key
    from django.contrib.sessions.models import Session as StoredSession

    assert len(StoredSession.objects.get(session_key=stored).session_data) < 20_000
