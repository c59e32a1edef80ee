# mypy: disable-error-code="arg-type, union-attr"
# (dossier.owner, .first() and .last() are Optional; the tests create them.)
"""The client's pages: create, the four buttons, submit steps, link, plan; and who may see what."""

from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory, with_two_factor
from guichet.documents.models import Document
from guichet.dossiers import services
from guichet.dossiers.kinds.accompagnement import casework
from guichet.dossiers.kinds.accompagnement.kind import ACCOMPAGNEMENT_QUEBEC
from guichet.dossiers.models import ActionStatus, Dossier, DossierStatus, NoteVisibility
from guichet.messaging.models import Thread

from .factories import (
    IDENTIFICATION,
    agent,
    complete,
    draft,
    submitted,
    with_profile,
)

pytestmark = pytest.mark.django_db


def _post_data(raw: dict, action: str) -> dict:
    return raw | {"action": action}


def test_creating_a_dossier_goes_through_type_then_conditions(client) -> None:
    user = with_profile()
    client.force_login(user)
    response = client.post(
        reverse("dossiers:create"), {"kind": "accompagnement_quebec", "mode": "new"}
    )
    assert response.url == reverse("dossiers:conditions", kwargs={"kind": "accompagnement_quebec"})
    response = client.post(response.url, {"document": "none"})
    assert response.status_code == 422
    assert "CAQ" in response.content.decode()
    assert not Dossier.objects.exists()
    response = client.post(
        reverse("dossiers:conditions", kwargs={"kind": "accompagnement_quebec"}),
        {"document": "csq"},
    )
    dossier = Dossier.objects.get(owner=user)
    assert response.url == reverse(
        "dossiers:section", kwargs={"dossier_id": dossier.pk, "key": "identification"}
    )


def test_conditions_ask_for_the_personal_information_first(client) -> None:
    client.force_login(UserFactory.create(role=Role.CLIENT))
    url = reverse("dossiers:conditions", kwargs={"kind": "accompagnement_quebec"})
    response = client.get(url)
    assert "Remplir mes renseignements personnels" in response.content.decode()
    # Issue 13 #14: the link leads to « Renseignements personnels » and back here, not to the
    # layout's own « Mon profil » link (a template variable of base.html shadowed the page's).
    expected = reverse("accounts:personal_profile") + "?next=" + url
    assert f'<a href="{expected}">Remplir mes renseignements personnels</a>' in (
        response.content.decode()
    )


def test_enregistrer_keeps_what_was_typed_and_shows_errors_next_to_fields(client) -> None:
    dossier = draft()
    client.force_login(dossier.owner)
    url = reverse("dossiers:section", kwargs={"dossier_id": dossier.pk, "key": "identification"})
    response = client.post(url, _post_data(IDENTIFICATION | {"ircc_number": "12ab"}, "save"))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'value="12ab"' in page
    assert "8 ou 10 chiffres" in page
    # Saved with errors is its own state (issue 13 #6): a warning, not the green success.
    assert "notice--warning" in page and "contient des erreurs" in page
    assert "notice--success" not in page
    dossier.refresh_from_db()
    assert dossier.data["identification"]["ircc_number"] == "12ab"
    client.post(url, _post_data(IDENTIFICATION, "save"))
    page = client.get(url).content.decode()
    assert "notice--success" in page and "Votre formulaire a été enregistré." in page


def test_quitter_asks_to_save_when_something_changed(client) -> None:
    dossier = draft()
    client.force_login(dossier.owner)
    url = reverse("dossiers:section", kwargs={"dossier_id": dossier.pk, "key": "identification"})
    response = client.post(url, _post_data(IDENTIFICATION, "quit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enregistrer et quitter" in page and 'value="8765A321"' in page
    response = client.post(url, _post_data(IDENTIFICATION, "quit_save"))
    assert response.url == reverse("dossiers:mine")
    dossier.refresh_from_db()
    assert dossier.data["identification"]["mifi_number"] == "8765A321"
    # Nothing changed now: QUITTER leaves at once.
    assert client.post(url, _post_data(IDENTIFICATION, "quit")).url == reverse("dossiers:mine")


def test_green_checks_once_both_sections_are_valid(client) -> None:
    dossier = complete(draft())
    client.force_login(dossier.owner)
    page = client.get(
        reverse("dossiers:section", kwargs={"dossier_id": dossier.pk, "key": "identification"})
    ).content.decode()
    assert page.count("section-status--complete") == 2


def test_soumettre_lists_errors_linked_to_their_fields(client) -> None:
    dossier = draft()
    client.force_login(dossier.owner)
    url = reverse("dossiers:section", kwargs={"dossier_id": dossier.pk, "key": "identification"})
    response = client.post(url, _post_data(IDENTIFICATION | {"mifi_number": "12"}, "submit"))
    page = client.get(response.url).content.decode()
    assert f"{url}#id_mifi_number" in page
    assert "#id_availability" in page
    assert client.post(response.url).status_code == 422
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_submission_steps_then_presented_with_message_email_and_pdf(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    dossier = complete(draft())
    client.force_login(dossier.owner)
    url = reverse("dossiers:submit", kwargs={"dossier_id": dossier.pk})
    assert "Toutes les sections" in client.get(url).content.decode()
    assert "Valdero" in client.get(url + "?etape=2").content.decode()
    assert "ne pourrez plus modifier" in client.get(url + "?etape=3").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.url == reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    mine = client.get(reverse("dossiers:mine")).content.decode()
    assert "Présenté" in mine and dossier.number in mine
    assert [m.subject for m in mailoutbox] == ["Du nouveau sur le portail"]
    assert "Nous vous avons transmis un message." in mailoutbox[0].body
    assert dossier.number not in mailoutbox[0].body
    header = client.get(reverse("core:home")).content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> nouveau message</span>' in header
    # The section pages are read-only now.
    section = reverse(
        "dossiers:section", kwargs={"dossier_id": dossier.pk, "key": "identification"}
    )
    client.post(section, _post_data(IDENTIFICATION | {"mifi_number": "CHANGED11"}, "save"))
    dossier.refresh_from_db()
    assert dossier.data["identification"]["mifi_number"] == "8765A321"
    documents = client.get(reverse("documents:mine")).content.decode()
    assert "Récapitulatif de votre demande d&#x27;accompagnement" in documents


def test_the_recap_pdf_carries_every_field_in_the_clients_language(
    client, django_capture_on_commit_callbacks
) -> None:
    owner = with_profile()
    owner.preferred_language = "en"
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted(owner)
    document = Document.objects.get(dossier=dossier)
    client.force_login(owner)
    response = client.get(reverse("documents:download", kwargs={"document_id": document.pk}))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in [
        dossier.number,
        "Valdero",
        "Maria",
        "2000-01-01",
        "Paris",
        "France",
        "20 rue Monge",
        "75005",
        "55555555",
        owner.email,
        "Canadian citizen",
        "8765A321",
        "12345678",
        "Montréal",
        "Virtual",
        "Monday Morning",
        "Summary of your support request",
    ]:
        assert expected in text, expected
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert "/StructTreeRoot" in catalog  # tagged PDF
    assert catalog["/MarkInfo"]["/Marked"]


def test_a_client_never_reaches_another_clients_dossier_document_or_thread(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted()
    other = with_profile()
    client.force_login(other)
    thread = Thread.objects.get(dossier=dossier)
    document = Document.objects.get(dossier=dossier)
    for url in [
        reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk}),
        reverse("dossiers:recap", kwargs={"dossier_id": dossier.pk}),
        reverse("dossiers:submit", kwargs={"dossier_id": dossier.pk}),
        reverse("dossiers:section", kwargs={"dossier_id": dossier.pk, "key": "identification"}),
        reverse("messaging:thread", kwargs={"thread_id": thread.pk}),
        reverse("documents:download", kwargs={"document_id": document.pk}),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("messaging:thread", kwargs={"thread_id": thread.pk}), {"body": "x"}
        ).status_code
        == 404
    )
    assert dossier.number not in client.get(reverse("messaging:inbox")).content.decode()


def test_partner_staff_and_clients_have_no_access_to_the_agents_pages(
    client, django_capture_on_commit_callbacks
) -> None:
    dossier = submitted()
    partner = with_two_factor(
        UserFactory.create(role=Role.PARTNER_STAFF, organisation=OrganisationFactory())
    )
    for user, status in [(partner, 403), (dossier.owner, 403)]:
        client.force_login(user)
        assert client.get(reverse("backoffice:dossiers")).status_code == status
        assert (
            client.get(reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})).status_code
            == status
        )


def test_the_client_sees_only_notes_marked_visible_and_updates_a_plan_action(client) -> None:
    dossier = submitted()
    aai = agent()
    casework.assign(dossier=dossier, agent=aai, actor=aai)
    casework.add_note(
        dossier=dossier,
        body="Note interne confidentielle",
        visibility=NoteVisibility.INTERNAL,
        actor=aai,
    )
    casework.add_note(
        dossier=dossier, body="Bienvenue au Québec", visibility=NoteVisibility.CLIENT, actor=aai
    )
    action = casework.add_action(
        dossier=dossier,
        title="Inscription en francisation",
        description="",
        due_date=None,
        actor=aai,
    )
    client.force_login(dossier.owner)
    url = reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})
    page = client.get(url).content.decode()
    assert "Bienvenue au Québec" in page and "confidentielle" not in page
    assert "Karim Benali" in page and aai.email in page
    response = client.post(
        reverse(
            "dossiers:action_status", kwargs={"dossier_id": dossier.pk, "action_id": action.pk}
        ),
        {"status": ActionStatus.IN_PROGRESS},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    # Another client cannot touch it.
    client.force_login(with_profile())
    response = client.post(
        reverse(
            "dossiers:action_status", kwargs={"dossier_id": dossier.pk, "action_id": action.pk}
        ),
        {"status": ActionStatus.DONE},
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_link_an_existing_dossier_by_number_and_identity(client) -> None:
    aai = agent()
    dossier = services.open_for_person(
        kind=ACCOMPAGNEMENT_QUEBEC,
        first_name="Maria",
        last_name="Valdero",
        sex="F",
        birth_date=with_profile().personal_profile.birth_date,
        actor=aai,
    )
    user = with_profile()
    client.force_login(user)
    url = reverse("dossiers:link", kwargs={"kind": "accompagnement_quebec"})
    response = client.post(url, {"number": dossier.number.lower()})
    assert response.url == reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})
    dossier.refresh_from_db()
    assert dossier.owner == user
    assert "identifié avec succès" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "mismatch",
    [
        {"passport_first_name": "Marie"},
        {"passport_last_name": "Valderos"},
        {"sex": "M"},
        {"birth_date": "2000-01-02"},
        {"number": "G2600000999"},
    ],
)
def test_link_fails_with_the_seeds_message_on_any_mismatch(client, mismatch) -> None:
    dossier = services.open_for_person(
        kind=ACCOMPAGNEMENT_QUEBEC,
        first_name="Maria",
        last_name="Valdero",
        sex="F",
        birth_date=with_profile().personal_profile.birth_date,
        actor=agent(),
    )
    number = mismatch.pop("number", dossier.number)
    user = with_profile(**mismatch)
    client.force_login(user)
    response = client.post(
        reverse("dossiers:link", kwargs={"kind": "accompagnement_quebec"}), {"number": number}
    )
    assert response.status_code == 422
    assert "Votre dossier n'a pas été trouvé." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.owner is None


def test_link_attempts_are_throttled(client, settings) -> None:
    settings.LOCKOUT_MAX_FAILURES = 3
    client.force_login(with_profile())
    url = reverse("dossiers:link", kwargs={"kind": "accompagnement_quebec"})
    for _ in range(3):
        assert client.post(url, {"number": "G2600000999"}).status_code == 422
    assert client.post(url, {"number": "G2600000998"}).status_code == 429


def test_a_dossier_someone_else_linked_cannot_be_linked_again(client) -> None:
    dossier = submitted()
    client.force_login(with_profile())
    response = client.post(
        reverse("dossiers:link", kwargs={"kind": "accompagnement_quebec"}),
        {"number": dossier.number},
    )
    assert response.status_code == 422
    dossier.refresh_from_db()
    assert dossier.owner is not None


def test_the_personal_profile_keeps_input_and_explains_errors(client) -> None:
    user = UserFactory.create(role=Role.CLIENT)
    client.force_login(user)
    url = reverse("accounts:personal_profile")
    response = client.post(
        url, {"passport_last_name": "Valdero", "home_phone": "12", "birth_date": "2000-02-31"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Valdero"' in page
    assert "Saisissez une date valide" in page
    assert "4 à 15 chiffres" in page
    data = {
        "passport_last_name": "Valdero",
        "passport_first_name": "Maria",
        "sex": "F",
        "birth_date": "2000-01-01",
        "birth_city": "Paris",
        "birth_country": "FR",
        "address_line1": "20 rue Monge",
        "country": "FR",
        "city": "Paris",
        "home_phone_code": "+33",
        "home_phone": "5 55 55 55 5",
    }
    assert client.post(url, data).status_code == 302
    user.personal_profile.refresh_from_db()
    assert (user.personal_profile.home_phone_code, user.personal_profile.home_phone) == (
        "33",
        "55555555",
    )


def test_the_agents_appointment_downloads_as_ics_for_its_owner_only(client) -> None:
    from datetime import timedelta

    import icalendar
    from django.utils import timezone

    dossier = submitted()
    aai = agent()
    appointment = casework.schedule_appointment(
        dossier=dossier,
        starts_at=timezone.now() + timedelta(days=3),
        mode="virtual",
        place=None,
        details="https://rencontre.example/abc",
        actor=aai,
    )
    url = reverse(
        "dossiers:appointment_ics",
        kwargs={"dossier_id": dossier.pk, "appointment_id": appointment.pk},
    )
    client.force_login(dossier.owner)
    assert (
        url
        in client.get(
            reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})
        ).content.decode()
    )
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["UID"] == f"agent-appointment-{appointment.pk}@guichet"
    assert event.decoded("DTSTART") == appointment.starts_at.replace(microsecond=0)
    assert "https://rencontre.example/abc" in str(event["DESCRIPTION"])
    client.force_login(with_profile())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)"]
)
def test_the_personal_profile_never_redirects_off_site(client, target) -> None:
    user = with_profile()
    client.force_login(user)
    profile = user.personal_profile
    data = {
        "passport_last_name": profile.passport_last_name,
        "passport_first_name": profile.passport_first_name,
        "sex": profile.sex,
        "birth_date": "2000-01-01",
        "birth_city": "Paris",
        "birth_country": "FR",
        "address_line1": "20 rue Monge",
        "country": "FR",
        "city": "Paris",
        "home_phone_code": "33",
        "home_phone": "55555555",
        "next": target,
    }
    response = client.post(reverse("accounts:personal_profile"), data)
    assert response.url == reverse("accounts:personal_profile")


def test_partner_staff_cannot_download_a_dossier_document(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted()
    document = Document.objects.get(dossier=dossier)
    url = reverse(
        "backoffice:dossier_document", kwargs={"dossier_id": dossier.pk, "document_id": document.pk}
    )
    client.force_login(
        with_two_factor(
            UserFactory.create(role=Role.PARTNER_STAFF, organisation=OrganisationFactory())
        )
    )
    assert client.get(url).status_code == 403
    client.force_login(agent())
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
