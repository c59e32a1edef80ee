"""« Inscription au portail des employeurs » (seed 004 §III): every screen, the PIN join, the
ministry's verification, the gate before approval, the home page."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from guichet.accounts.models import Role, SecurityAnswer, SecurityQuestion, User
from guichet.accounts.tests.factories import staff
from guichet.employers import services
from guichet.employers.models import Company, CompanyPin, Registration, RegistrationStatus
from guichet.organisations.models import OrganisationKind

from .factories import RECOVERY_ANSWERS, company, gckey_holder, recovery_answer
from .test_gckey import errors

pytestmark = pytest.mark.django_db


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


R = "employer_registration:"
CONTACT = {
    "last_name": "Tremblay",
    "first_name": "Julie",
    "job_title": "Directrice des ressources humaines",
    "phone": "514 555-0199",
    "fax": "",
    "email": "julie.tremblay@exemple.ca",
}
COMPANY = {
    "legal_name": "Boulangerie Laurentienne inc.",
    "operating_name": "Boulangerie Laurentienne",
    "is_canadian": "oui",
    "business_number": "123456789",
    "business_number_confirm": "123456789",
}
QUESTIONS = {
    "question_1": "first_school",
    "answer_1": "École Saint-Jean",
    "question_2": "hobby",
    "answer_2": "Le ski",
    "question_3": "first_pet",
    "answer_3": "Minou",
    "question_4": "favourite_dish",
    "answer_4": "Tourtière",
}


def _holder(client: Client) -> User:
    user = gckey_holder()
    SecurityAnswer.objects.filter(user=user).delete()  # the portal's questions come later
    client.force_login(user)
    return user


def _post(client: Client, step: str, data: dict[str, str] | None = None, **extra: str) -> str:
    response = client.post(reverse(R + step), {**(data or {}), **extra})
    assert response.status_code == 302, errors(text(response))
    return str(response["Location"])


def _up_to_contact(client: Client, *, pin: str | None = None) -> None:
    _post(client, "terms", action="accept")
    _post(client, "welcome")
    if pin:
        _post(client, "pin", action="pin", pin=pin)
    else:
        _post(client, "pin", action="non")
    _post(client, "portal", portal="employers")
    if not pin:
        _post(client, "reregistration", action="non")
    _post(client, "questions", QUESTIONS)
    _post(client, "start")


def _answer(client: Client) -> str:
    """The answer to the CléGC question the signed-in holder is asked."""
    return recovery_answer(User.objects.get(pk=client.session["_auth_user_id"]).username)


def _register(client: Client, company_data: dict[str, str] | None = None) -> Registration:
    _up_to_contact(client)
    assert _post(client, "contact", CONTACT) == reverse(R + "company")
    _post(client, "company", company_data or COMPANY)
    _post(
        client,
        "declaration",
        accept="on",
        first_name="Julie",
        last_name="Tremblay",
        security_answer=_answer(client),
    )
    assert _post(client, "transmit") == reverse(R + "done")
    return Registration.objects.get(user_id=client.session["_auth_user_id"])


def _officer() -> User:
    user = staff(Role.MINISTRY_STAFF)
    user.handles_employer_files = True
    user.save(update_fields=["handles_employer_files"])
    return user


def test_each_screen_comes_in_the_seeds_order(client: Client) -> None:
    _holder(client)
    assert client.get(reverse(R + "contact"))["Location"] == reverse(R + "terms")
    page = text(client.get(reverse(R + "terms")))
    assert "Conditions d'utilisation" in page and "Je refuse" in page
    refused = text(client.post(reverse(R + "terms"), {"action": "refuse"}))
    assert "vous ne pouvez pas accéder au portail des employeurs" in refused
    assert _post(client, "terms", action="accept") == reverse(R + "welcome")
    assert "Bienvenue au portail des employeurs" in text(client.get(reverse(R + "welcome")))
    assert _post(client, "welcome") == reverse(R + "pin")
    page = text(client.get(reverse(R + "pin")))
    assert "Avez-vous reçu un numéro d'identification personnel (NIP)" in page
    assert _post(client, "pin", action="non") == reverse(R + "portal")
    other = text(client.post(reverse(R + "portal"), {"portal": "schools"}))
    assert "Seul le Portail des employeurs est offert ici." in errors(other)
    assert _post(client, "portal", portal="employers") == reverse(R + "reregistration")
    branch = text(client.post(reverse(R + "reregistration"), {"action": "oui"}))
    assert "obtenir un NIP" in branch
    assert client.get(reverse(R + "questions"))["Location"] == reverse(R + "reregistration")
    assert _post(client, "reregistration", action="non") == reverse(R + "questions")
    same = client.post(reverse(R + "questions"), {**QUESTIONS, "question_4": "first_school"})
    assert "Choisissez quatre questions différentes." in errors(text(same))
    assert _post(client, "questions", QUESTIONS) == reverse(R + "start")
    assert "S'inscrire comme employeur" in text(client.get(reverse(R + "start")))
    assert _post(client, "start") == reverse(R + "contact")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"business_number": "12345678"}, "business_number", "exactement 9 chiffres"),
        ({"business_number": "12345678A"}, "business_number", "exactement 9 chiffres"),
        ({"business_number_confirm": "123456780"}, "business_number_confirm", "pas identiques"),
        ({"legal_name": ""}, "legal_name", "Ce champ est obligatoire."),
        ({"is_canadian": ""}, "is_canadian", "Ce champ est obligatoire."),
    ],
)
def test_the_company_screen_checks_the_business_number(
    client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    _holder(client)
    _up_to_contact(client)
    _post(client, "contact", CONTACT)
    response = client.post(reverse(R + "company"), {**COMPANY, **changes, "action": "continue"})
    page = text(response)
    assert response.status_code == 200
    assert message in errors(page)
    assert f'id="id_{field}' in page
    assert "Boulangerie Laurentienne" in page  # what was typed is kept


def test_contact_details_are_checked_and_kept(client: Client) -> None:
    _holder(client)
    _up_to_contact(client)
    response = client.post(reverse(R + "contact"), {**CONTACT, "phone": "abc", "email": "x@"})
    found = errors(text(response))
    assert "numéro de téléphone valide" in found and "adresse de courriel valide" in found
    assert "Directrice des ressources humaines" in text(response)
    _post(client, "contact", CONTACT)
    # Précédent from the company screen keeps what was answered.
    assert _post(client, "company", action="back") == reverse(R + "contact")
    assert "julie.tremblay@exemple.ca" in text(client.get(reverse(R + "contact")))


def test_the_signature_answers_the_gckey_security_question(client: Client) -> None:
    _holder(client)
    _up_to_contact(client)
    _post(client, "contact", CONTACT)
    _post(client, "company", COMPANY)
    page = text(client.get(reverse(R + "declaration")))
    assert "Votre déclaration solennelle et votre signature électronique" in page
    me = User.objects.get(pk=client.session["_auth_user_id"])
    asked = services.signature_question(me)  # one of the three recovery questions
    assert asked in RECOVERY_ANSWERS
    assert str(SecurityQuestion(asked).label) in page
    response = client.post(
        reverse(R + "declaration"),
        {"first_name": "Julie", "last_name": "", "security_answer": "paris"},
    )
    found = errors(text(response))
    assert "Vous devez accepter la déclaration" in found
    assert "Ce champ est obligatoire." in found
    response = client.post(
        reverse(R + "declaration"),
        {
            "accept": "on",
            "first_name": "Julie",
            "last_name": "Tremblay",
            "security_answer": "paris",
        },
    )
    assert "n'est pas exacte" in text(response)
    assert client.get(reverse(R + "transmit"))["Location"] == reverse(R + "declaration")


def test_a_registration_waits_for_the_ministry_then_is_approved(client: Client) -> None:
    user = _holder(client)
    registration = _register(client)
    page = text(client.get(reverse(R + "done")))
    assert "Félicitations! Votre demande ou profil a été soumise avec succès." in page
    assert "Étape 1" in page and "Étape 3" in page
    assert registration.status == RegistrationStatus.PENDING
    assert registration.declaration_version == services.DECLARATION_VERSION
    assert len(registration.answers_digest) == 64 and registration.signed_last_name == "Tremblay"
    # Until approved: only the pending page; the account and the other areas send there.
    for name in ("employers:home", "documents:mine", "messaging:inbox"):
        response = client.get(reverse(name), follow=True)
        assert response.redirect_chain[-1][0] == reverse(R + "status")
    assert "en attente de vérification" in text(client.get(reverse(R + "status")))
    # The contact screen can no longer change it.
    assert client.get(reverse(R + "contact"))["Location"] == reverse(R + "status")

    officer = _officer()
    office = Client()
    office.force_login(officer)
    listing = text(office.get(reverse("backoffice:employer_registrations")))
    assert "Boulangerie Laurentienne inc." in listing
    url = reverse("backoffice:employer_registration", kwargs={"registration_id": registration.pk})
    assert "123456789" in text(office.get(url))
    with TestCase.captureOnCommitCallbacks(execute=True):
        office.post(url, {"action": "approve"})
    made = Company.objects.get(business_number="123456789")
    assert made.ministry_number.startswith("E") and len(made.ministry_number) == 9
    assert made.organisation.kind == OrganisationKind.EMPLOYER
    assert made.primary_user == user
    user.refresh_from_db()
    assert user.organisation == made.organisation and user.email == CONTACT["email"]
    assert mail.outbox[-1].to == [CONTACT["email"]]
    assert (
        "Votre inscription est terminée. Votre compte est maintenant actif." in mail.outbox[-1].body
    )
    home = text(client.get(reverse("employers:home")))
    assert "Le compte du portail des employeurs de Julie Tremblay" in home
    assert made.ministry_number in home and "Détails sur l'entreprise" in home
    assert "Messages dans le compte" in home and "Que voulez-vous faire aujourd'hui?" in home


def test_a_refusal_gives_its_reason_and_the_registration_can_be_corrected(client: Client) -> None:
    _holder(client)
    registration = _register(client)
    office = Client()
    office.force_login(_officer())
    url = reverse("backoffice:employer_registration", kwargs={"registration_id": registration.pk})
    empty = office.post(url, {"action": "refuse", "reason": " "})
    assert "Indiquez le motif du refus." in errors(text(empty))
    with TestCase.captureOnCommitCallbacks(execute=True):
        office.post(url, {"action": "refuse", "reason": "Le numéro d'entreprise est inexact."})
    assert "a été refusée" in mail.outbox[-1].body
    assert "inexact" not in mail.outbox[-1].body  # the reason is read on the portal
    page = text(client.get(reverse(R + "status")))
    assert "Le numéro d'entreprise est inexact." in page
    assert client.get(reverse("employers:home"), follow=True).redirect_chain[-1][0] == reverse(
        R + "status"
    )
    assert _post(client, "status") == reverse(R + "contact")
    _post(client, "contact", CONTACT)
    _post(
        client,
        "company",
        {**COMPANY, "business_number": "987654321", "business_number_confirm": "987654321"},
    )
    _post(client, "declaration", accept="on", last_name="Tremblay", security_answer=_answer(client))
    _post(client, "transmit")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.business_number == "987654321" and registration.refusal_reason == ""


def test_approving_a_business_number_already_registered_is_refused(client: Client) -> None:
    existing = company()
    _holder(client)
    registration = _register(
        client,
        {
            **COMPANY,
            "business_number": existing.business_number,
            "business_number_confirm": existing.business_number,
        },
    )
    office = Client()
    office.force_login(_officer())
    url = reverse("backoffice:employer_registration", kwargs={"registration_id": registration.pk})
    page = text(office.post(url, {"action": "approve"}, follow=True))
    assert "doit obtenir un NIP" in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_a_pin_from_the_primary_user_joins_the_company(client: Client) -> None:
    made = company()
    primary = Client()
    primary.force_login(made.primary_user)
    page = text(primary.post(reverse("employers:users"), {"email": "adjoint@exemple.ca"}))
    assert "Voici le NIP." in page
    pin = page.split('<p class="key-value"><strong>')[1].split("</strong>")[0]
    assert len(pin) == 14 and CompanyPin.objects.get().digest != pin

    user = _holder(client)
    wrong = client.post(reverse(R + "pin"), {"action": "pin", "pin": "AAAA-BBBB-CCCC"})
    assert client.post(reverse(R + "terms"), {"action": "accept"}).status_code == 302
    client.post(reverse(R + "welcome"))
    wrong = client.post(reverse(R + "pin"), {"action": "pin", "pin": "AAAA-BBBB-CCCC"})
    assert "Ce NIP n'est pas valide" in text(wrong)
    _post(client, "pin", action="pin", pin=pin.lower().replace("-", " "))
    _post(client, "portal", portal="employers")
    assert client.get(reverse(R + "reregistration"))["Location"] == reverse(R + "questions")
    _post(client, "questions", QUESTIONS)
    _post(client, "start")
    other = client.post(reverse(R + "contact"), CONTACT)
    assert "pour laquelle votre NIP a été émis" in errors(text(other))
    assert _post(client, "contact", {**CONTACT, "email": "adjoint@exemple.ca"}) == reverse(
        R + "declaration"
    )
    _post(client, "declaration", accept="on", last_name="Tremblay", security_answer=_answer(client))
    with TestCase.captureOnCommitCallbacks(execute=True):
        _post(client, "transmit")
    user.refresh_from_db()
    assert user.organisation == made.organisation
    assert "Votre compte est maintenant actif." in mail.outbox[-1].body
    assert client.get(reverse("employers:home")).status_code == 200
    # Used once: it cannot join anybody else.
    assert services.usable_pin(pin) is None
    members = text(primary.get(reverse("employers:users")))
    assert "adjoint@exemple.ca" in members and "Utilisateur secondaire" in members


def test_only_the_primary_user_issues_pins(client: Client) -> None:
    made = company()
    from .factories import member

    client.force_login(member(made))
    page = text(client.get(reverse("employers:users")))
    assert "Émettre un NIP" not in page
    assert client.post(reverse("employers:users"), {"email": "x@exemple.ca"}).status_code == 404
    assert not CompanyPin.objects.exists()


def test_staff_without_the_employer_files_role_find_nothing(client: Client) -> None:
    holder = gckey_holder()
    registration = Registration.objects.create(user=holder)
    client.force_login(staff(Role.MINISTRY_STAFF))
    assert client.get(reverse("backoffice:employer_registrations")).status_code == 404
    url = reverse("backoffice:employer_registration", kwargs={"registration_id": registration.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "approve"}).status_code == 404


def test_the_home_page_shows_the_previous_sign_in_and_the_messages(client: Client) -> None:
    from django.utils import timezone

    from guichet.messaging.models import Message, Thread

    made = company()
    user = made.primary_user
    thread = Thread.objects.create(
        owner=user, subject="Confirmation de transmission", last_message_at=timezone.now()
    )
    Message.objects.create(thread=thread, sender="ministry", body="Bonjour")
    from guichet.audit.services import audit

    client.force_login(user)
    # Issue 31.4: the first sign-in after activation says it too (its own date).
    audit(user, "account.login", user)
    page = text(client.get(reverse("employers:home")))
    assert "Votre dernière ouverture de session a eu lieu le" in page
    audit(user, "account.login", user)
    page = text(client.get(reverse("employers:home")))
    assert "Votre dernière ouverture de session a eu lieu le" in page
    assert "Confirmation de transmission" in page and "Nouveau message" in page
    logout = text(client.get(reverse("employers:logout")))
    assert "Vous êtes sur le point de quitter votre compte." in logout
    response = client.post(reverse("accounts:logout"), {"next": reverse("employers:login")})
    assert response["Location"] == reverse("employers:login")


# --- Issue 30.6: wrong signature answers and wrong PINs lock, like the authorization codes ----


def test_five_wrong_signature_answers_lock_even_the_right_one(client: Client) -> None:
    from .factories import registration_at

    user = gckey_holder()
    registration_at(user, "declaration")
    client.force_login(user)
    signed = {"accept": "on", "first_name": "Julie", "last_name": "Tremblay"}
    for n in range(4):
        wrong = client.post(reverse(R + "declaration"), {**signed, "security_answer": f"x{n}"})
        assert wrong.status_code == 200 and "n'est pas exacte" in text(wrong)
    locked = client.post(reverse(R + "declaration"), {**signed, "security_answer": "x5"})
    assert locked.status_code == 429
    right = client.post(
        reverse(R + "declaration"), {**signed, "security_answer": recovery_answer(user)}
    )
    assert right.status_code == 429
    assert Registration.objects.get(user=user).signed_at is None


def test_five_wrong_pins_lock_and_a_valid_one_is_then_refused(client: Client) -> None:
    from .factories import registration_at

    made = company()
    pin = services.issue_pin(actor=made.primary_user, email="adjoint@exemple.ca")
    user = gckey_holder()
    registration_at(user, "pin")
    client.force_login(user)
    for n in range(4):
        wrong = client.post(reverse(R + "pin"), {"action": "pin", "pin": f"AAAA-BBBB-CCC{n}"})
        assert "Ce NIP n'est pas valide" in text(wrong)
    assert client.post(reverse(R + "pin"), {"action": "pin", "pin": "AAAA"}).status_code == 429
    assert client.post(reverse(R + "pin"), {"action": "pin", "pin": pin}).status_code == 429
    assert Registration.objects.get(user=user).pin_id is None


def test_the_pin_lock_counts_per_address_across_accounts(settings) -> None:
    from .factories import registration_at

    settings.LOCKOUT_MAX_FAILURES_PER_IP = 6
    made = company()
    pin = services.issue_pin(actor=made.primary_user, email="adjoint@exemple.ca")
    for n in range(3):  # three accounts, two wrong PINs each, from one address
        browser = Client(REMOTE_ADDR="198.51.100.20")
        user = gckey_holder()
        registration_at(user, "pin")
        browser.force_login(user)
        for m in range(2):
            browser.post(reverse(R + "pin"), {"action": "pin", "pin": f"ZZZZ-ZZZZ-ZZ{n}{m}"})
    fresh = Client(REMOTE_ADDR="198.51.100.20")
    user = gckey_holder()
    registration_at(user, "pin")
    fresh.force_login(user)
    assert fresh.post(reverse(R + "pin"), {"action": "pin", "pin": pin}).status_code == 429
