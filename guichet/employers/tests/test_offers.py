"""« Offre d'emploi dispensé d'une EIMT » (seed 004 §IV-V): the list, the four forms and their
rules, the checklist and fees, the declaration, « Transmettre et payer » with the test bank,
the offer number, « Visionner l'offre », the PDF, « Retirer la demande », the worker's page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory, staff
from guichet.core.refusals import Refused
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.employers.kinds.offer import kind as offers
from guichet.employers.selectors import offers_for
from guichet.payments import purposes
from guichet.payments import services as payments
from guichet.payments.models import Payment, PaymentStatus
from guichet.payments.providers.testbank import TestBank
from guichet.payments.tests.support import SUCCESS, bank, pay_at_bank

__all__ = ["bank"]  # the test bank fixture

from .factories import (
    ANSWERS,
    company,
    fee_schedule,
    gckey_holder,
    offer,
    offer_data,
    signed,
    submitted_offer,
)
from .test_registration import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(client: Client) -> Any:
    user = gckey_holder()
    company(user)
    fee_schedule()
    client.force_login(user)
    return user


def _answer_the_question(client: Client, dossier: Dossier) -> str:
    """The declaration page asks one of the four portal questions: its answer."""
    page = client.get(reverse("employers:offer_declaration", kwargs={"dossier_id": dossier.pk}))
    asked = client.session["offer_signature_question"]
    assert page.status_code == 200
    return ANSWERS[asked]


def _sign(client: Client, dossier: Dossier) -> Any:
    answer = _answer_the_question(client, dossier)
    return client.post(
        reverse("employers:offer_declaration", kwargs={"dossier_id": dossier.pk}),
        {"accept": "on", "first_name": "Julie", "last_name": "Tremblay", "security_answer": answer},
    )


def test_a_new_offer_is_numbered_and_its_four_forms_start_not_started(
    client: Client, employer: Any
) -> None:
    page = text(client.get(reverse("employers:offers")))
    assert "Aucune donnée disponible dans le tableau" in page
    assert "Soumettre une offre d'emploi" in page
    response = client.post(reverse("employers:offer_new"))
    dossier = Dossier.objects.get()
    # A draft's reference only: the offer number comes at transmission (issue 31.8).
    assert re.fullmatch(r"BR\d{8}", dossier.number) and dossier.provisional
    assert response["Location"] == reverse("employers:offer", kwargs={"dossier_id": dossier.pk})
    page = text(client.get(response["Location"]))
    for title in (
        "Renseignements sur l'entreprise",
        "Renseignements sur le travailleur étranger",
        "Détails sur l'emploi",
        "Salaire et avantages sociaux",
    ):
        assert title in page
    assert page.count("Pas commencé") == 4 and "Commencer à remplir le formulaire" in page
    assert "Non soumise" in page


def test_the_whole_journey_pay_then_submitted_with_its_number(
    client: Client,
    employer: Any,
    bank: TestBank,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(payments, "get_provider", lambda code=None: bank)
    dossier = offer(employer)
    page = text(client.get(reverse("employers:offer", kwargs={"dossier_id": dossier.pk})))
    assert page.count("Terminé") == 4
    checklist = text(
        client.get(reverse("employers:offer_checklist", kwargs={"dossier_id": dossier.pk}))
    )
    assert "Frais permis travail sans EIMT" in checklist and "230,00" in checklist
    assert "Aucun document n'est requis pour cette demande en ligne." in checklist
    response = _sign(client, dossier)
    assert response.status_code == 302, text(response)
    transmit = text(client.get(response["Location"]))
    assert "Je, Julie Tremblay, déclare solennellement" in transmit
    assert "Transmettre et payer" in transmit
    response = client.post(reverse("employers:offer_transmit", kwargs={"dossier_id": dossier.pk}))
    pay_url = reverse(
        "payments:pay", kwargs={"purpose": "offre-emploi", "object_id": str(dossier.pk)}
    )
    assert response["Location"] == pay_url
    summary = text(client.get(pay_url))
    assert "Ceci n'est pas un reçu" in summary and "230,00" in summary
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url, {"method": "card"})
        payment = Payment.objects.get(purpose="offre-emploi")
        listed = text(client.get(reverse("employers:offers")))
        assert "Demande en traitement" in listed
        pay_at_bank(payment, SUCCESS)
        back = client.get(reverse("payments:return", kwargs={"token": payment.return_token}))
    assert "Paiement reçu" in text(back) and reverse("employers:offers") in text(back)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.submitted_at is not None
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    # The email gives the offer number, and nothing about the worker.
    numbered = [m for m in mail.outbox if dossier.number in m.subject]
    assert numbered and dossier.number in numbered[0].body
    assert "Camille" not in numbered[0].body and "Durand" not in numbered[0].body
    # The confirmation in the account's messages, with the receipt number.
    thread = dossier.thread
    assert thread.subject.startswith("Confirmation de transmission de la demande en ligne - ")
    with translation.override("en"):
        home = text(client.get(reverse("employers:home")))
    assert "Confirmation of online application submission - " in home
    body = thread.messages.get().body
    assert "Confirmation de transmission de la demande en ligne" in body
    assert str(payment.receipt_number) in body and dossier.number in body
    listed = text(client.get(reverse("employers:offers")))
    assert "Soumis" in listed and "Camille Durand" in listed and "Visionner l'offre" in listed
    view = text(client.get(reverse("employers:offer_view", kwargs={"dossier_id": dossier.pk})))
    assert "Stagiaire en boulangerie" in view and str(payment.receipt_number) in view
    pdf = client.get(reverse("employers:offer_pdf", kwargs={"dossier_id": dossier.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    worker = text(client.get(reverse("employers:offer_worker", kwargs={"dossier_id": dossier.pk})))
    assert dossier.number in worker and "63202" in worker and "Boulangers-pâtissiers" in worker
    pdf = client.get(reverse("employers:offer_worker_pdf", kwargs={"dossier_id": dossier.pk}))
    assert pdf.content.startswith(b"%PDF")


def _section(dossier: Dossier, key: str) -> str:
    return reverse("employers:offer_section", kwargs={"dossier_id": dossier.pk, "key": key})


def _flat(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items()}


def test_valider_keeps_what_was_typed_and_shows_the_errors_next_to_the_fields(
    client: Client, employer: Any
) -> None:
    dossier = offer(employer, complete=False)
    typed = {**offer_data()["salaire"], "hours_per_day": "8", "hours_per_week": "57"}
    response = client.post(_section(dossier, "salaire"), {**typed, "action": "validate"})
    assert response.status_code == 422
    page = text(response)
    assert "Les heures par semaine ne peuvent dépasser sept fois les heures par jour." in page
    assert 'value="57"' in page  # kept as typed
    dossier.refresh_from_db()
    assert dossier.data["salaire"]["hours_per_week"] == "57"  # saved, though not valid
    table = text(client.get(reverse("employers:offer", kwargs={"dossier_id": dossier.pk})))
    assert "En cours" in table and "Continuer à remplir le formulaire" in table
    # Annuler leaves without saving; Enregistrer et quitter saves and goes back to the table.
    client.post(_section(dossier, "salaire"), {**typed, "hours_per_week": "1", "action": "cancel"})
    dossier.refresh_from_db()
    assert dossier.data["salaire"]["hours_per_week"] == "57"
    typed["hours_per_week"] = "40"
    response = client.post(_section(dossier, "salaire"), {**typed, "action": "quit"})
    assert response["Location"] == reverse("employers:offer", kwargs={"dossier_id": dossier.pk})
    assert (
        offers.OFFER.section("salaire").status(  # type: ignore[union-attr]
            Dossier.objects.get(pk=dossier.pk).data["salaire"]
        )
        == "complete"
    )
    # Précédent goes to the form before.
    response = client.post(_section(dossier, "salaire"), {**typed, "action": "previous"})
    assert response["Location"] == _section(dossier, "emploi")


def _errors(key: str, **changes: Any) -> dict[str, list[str]]:
    section = offers.OFFER.section(key)
    assert section is not None
    form = section.bind({**offer_data()[key], **changes})
    form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    ("key", "changes", "field", "message"),
    [
        ("entreprise", {"company_phone": "abc"}, "company_phone", "numéro de téléphone valide"),
        ("entreprise", {"postal_code": "12345"}, "postal_code", "code postal canadien"),
        ("entreprise", {"province": "Bretagne"}, "province", "province ou le territoire"),
        ("entreprise", {"mailing_different": "oui"}, "mailing_address", "obligatoire"),
        ("entreprise", {"website": "pas un site"}, "website", "URL"),
        ("entreprise", {"created_on": "2099-01-01"}, "created_on", "futur"),
        ("entreprise", {"employees": "0"}, "employees", ""),
        ("entreprise", {"gross_revenue": "-5"}, "gross_revenue", ""),
        ("entreprise", {"contact_email": "julie"}, "contact_email", ""),
        ("travailleur", {"passport_number": "12"}, "passport_number", "6 à 12"),
        ("travailleur", {"birth_date": "2020-01-01"}, "birth_date", "16 ans"),
        ("travailleur", {"birth_date": "01/02/1999"}, "birth_date", "aaaa-mm-jj"),
        ("travailleur", {"sex": ""}, "sex", "obligatoire"),
        ("emploi", {"noc_code": "6320"}, "noc_code", "cinq chiffres"),
        ("emploi", {"noc_code": "69202"}, "noc_code", "FEER"),
        ("emploi", {"start_date": "2020-01-01"}, "start_date", "passée"),
        ("emploi", {"several_workplaces": "oui"}, "other_workplaces", "obligatoire"),
        ("emploi", {"certification_required": "oui"}, "certification_authority", "obligatoire"),
        ("emploi", {"fee": "dispense"}, "fee_exemption_reason", "obligatoire"),
        ("emploi", {"work_postal_code": "H3B"}, "work_postal_code", "code postal canadien"),
        ("emploi", {"exemption": "Z99"}, "exemption", ""),
        ("salaire", {"wage_amount": "0"}, "wage_amount", ""),
        ("salaire", {"hours_per_day": "25"}, "hours_per_day", ""),
        ("salaire", {"hours_per_week": "4"}, "hours_per_week", "moins que"),
        ("salaire", {"hours_per_month": "200"}, "hours_per_month", "31/7"),
        ("salaire", {"hours_per_month": "30"}, "hours_per_month", "moins que"),
        ("salaire", {"benefits": ["aucun", "pension"]}, "benefits", "Aucun de ces"),
        ("salaire", {"benefits": []}, "benefits", "Cochez"),
        ("salaire", {"seasonal": "peut-être"}, "seasonal", ""),
    ],
)
def test_every_field_rule(key: str, changes: dict[str, Any], field: str, message: str) -> None:
    errors = _errors(key, **changes)
    assert field in errors, errors
    assert message in " ".join(errors[field])


def test_the_valid_example_passes_and_conditional_answers_count_only_when_shown() -> None:
    for key in offer_data():
        assert _errors(key) == {}, key
    assert _errors("entreprise", mailing_different="oui", mailing_address="C.P. 12, Montréal") == {}
    assert _errors("emploi", fee="dispense", fee_exemption_reason="Organisme exempté") == {}
    assert _errors("entreprise", country="FR", province="Île-de-France", postal_code="93200") == {}
    assert (
        _errors(
            "salaire",
            wage_amount="18.50",
            hours_per_day="7,5",
            hours_per_week="37,5",
            hours_per_month="160",
        )
        == {}
    )


def test_the_job_form_shows_the_exemption_code_and_the_noc_title(
    client: Client, employer: Any
) -> None:
    dossier = offer(employer)
    page = text(client.get(_section(dossier, "emploi")))
    assert "Code de la dispense de l'EIMT" in page and "C21" in page
    assert "Boulangers-pâtissiers/boulangères-pâtissières" in page
    assert employer.organisation.company.legal_name in page  # the company's data, greyed
    client.post(
        _section(dossier, "emploi"),
        {**offer_data()["emploi"], "noc_code": "21299", "action": "validate"},
    )
    assert "ne figure pas dans la liste" in text(client.get(_section(dossier, "emploi")))


def test_continuer_needs_the_four_forms_and_a_change_after_signing_asks_to_sign_again(
    client: Client, employer: Any
) -> None:
    dossier = offer(employer, salaire={"hours_per_week": "57"})
    page = text(client.get(reverse("employers:offer", kwargs={"dossier_id": dossier.pk})))
    assert reverse("employers:offer_checklist", kwargs={"dossier_id": dossier.pk}) not in page
    response = client.get(reverse("employers:offer_checklist", kwargs={"dossier_id": dossier.pk}))
    assert response.status_code == 302
    offers.save_form(dossier=dossier, key="salaire", raw=offer_data()["salaire"], actor=employer)
    # A wrong answer to the security question: refused next to the field.
    _answer_the_question(client, dossier)
    response = client.post(
        reverse("employers:offer_declaration", kwargs={"dossier_id": dossier.pk}),
        {"accept": "on", "first_name": "Julie", "last_name": "Tremblay", "security_answer": "non"},
    )
    assert response.status_code == 422
    assert "La réponse à votre question de sécurité n'est pas exacte." in text(response)
    response = client.post(
        reverse("employers:offer_declaration", kwargs={"dossier_id": dossier.pk}),
        {"first_name": "Julie", "last_name": "", "security_answer": "non"},
    )
    assert "Vous devez accepter la déclaration pour la signer." in text(response)
    assert _sign(client, dossier).status_code == 302
    dossier.refresh_from_db()
    assert offers.signature(dossier) is not None
    signed = dossier.data["signature"]
    assert signed["version"] == offers.DECLARATION_VERSION and len(signed["digest"]) == 64
    offers.save_form(
        dossier=dossier,
        key="emploi",
        raw={**offer_data()["emploi"], "duration": "5"},
        actor=employer,
    )
    dossier.refresh_from_db()
    assert offers.signature(dossier) is None
    response = client.get(reverse("employers:offer_transmit", kwargs={"dossier_id": dossier.pk}))
    assert response["Location"] == reverse(
        "employers:offer_declaration", kwargs={"dossier_id": dossier.pk}
    )
    pay_url = reverse(
        "payments:pay", kwargs={"purpose": "offre-emploi", "object_id": str(dossier.pk)}
    )
    assert client.get(pay_url).status_code == 404  # not signed: nothing to pay yet


def test_an_exempt_employer_transmits_without_paying(
    client: Client, employer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = offer(
        employer, emploi={"fee": "dispense", "fee_exemption_reason": "Organisme exempté"}
    )
    checklist = text(
        client.get(reverse("employers:offer_checklist", kwargs={"dossier_id": dossier.pk}))
    )
    assert "aucun frais n'est à payer" in checklist
    _sign(client, dossier)
    transmit = text(
        client.get(reverse("employers:offer_transmit", kwargs={"dossier_id": dossier.pk}))
    )
    assert "Transmettre et payer" not in transmit and "Transmettre" in transmit
    pay_url = reverse(
        "payments:pay", kwargs={"purpose": "offre-emploi", "object_id": str(dossier.pk)}
    )
    assert client.get(pay_url).status_code == 404  # nothing to pay
    nothing = purposes.Purpose(
        code="rien",
        label="x",
        owed=lambda object_id: [],
        may_pay=lambda user, object_id: True,
        on_paid=lambda payment: None,
    )
    with pytest.raises(Refused) as refusal:
        payments.start_mail_payment(purpose=nothing, object_id=str(dossier.pk), actor=employer)
    assert refusal.value.code == "nothing_owed"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("employers:offer_transmit", kwargs={"dossier_id": dossier.pk})
        )
    assert response["Location"] == reverse(
        "employers:offer_view", kwargs={"dossier_id": dossier.pk}
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and not Payment.objects.exists()
    assert any(dossier.number in m.subject for m in mail.outbox)
    # Submitted: the forms can no longer change.
    assert client.get(_section(dossier, "emploi")).status_code == 404


def test_an_offer_is_not_submitted_without_payment_or_signature(employer: Any) -> None:
    from guichet.dossiers import services as dossiers

    dossier = offer(employer)
    with pytest.raises(Refused) as refusal:
        dossiers.submit(dossier=dossier, actor=employer)
    assert refusal.value.code == "not_signed"
    dossier.data = {**dossier.data, "signature": {"digest": offers.sections_digest(dossier)}}
    dossier.save()
    with pytest.raises(Refused) as refusal:
        dossiers.submit(dossier=dossier, actor=employer)
    assert refusal.value.code == "not_paid"


def test_withdrawing_a_draft_then_a_paid_offer_refunds_its_fee(
    client: Client,
    employer: Any,
    bank: TestBank,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(payments, "get_provider", lambda code=None: bank)
    draft = offer(employer, complete=False)
    page = text(client.get(reverse("employers:offer_withdraw", kwargs={"dossier_id": draft.pk})))
    assert "Voulez-vous vraiment retirer" in page
    client.post(
        reverse("employers:offer_withdraw", kwargs={"dossier_id": draft.pk}), {"action": "confirm"}
    )
    draft.refresh_from_db()
    assert draft.status == DossierStatus.WITHDRAWN
    assert "Retirée" in text(client.get(reverse("employers:offers")))
    dossier = offer(employer)
    _sign(client, dossier)
    pay_url = reverse(
        "payments:pay", kwargs={"purpose": "offre-emploi", "object_id": str(dossier.pk)}
    )
    client.post(pay_url, {"method": "card"})
    payment = Payment.objects.get(purpose="offre-emploi")
    # While the payment is under way the offer can neither change nor be withdrawn.
    response = client.post(
        _section(dossier, "salaire"),
        {**offer_data()["salaire"], "hours_per_week": "39", "action": "quit"},
    )
    assert response.status_code == 302
    unchanged = Dossier.objects.get(pk=dossier.pk)
    assert unchanged.data["salaire"]["hours_per_week"] == "40"
    assert offers.signature(unchanged) is not None
    client.post(
        reverse("employers:offer_withdraw", kwargs={"dossier_id": dossier.pk}),
        {"action": "confirm"},
    )
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT
    pay_at_bank(payment, SUCCESS)
    client.get(reverse("payments:return", kwargs={"token": payment.return_token}))
    page = text(client.get(reverse("employers:offer_withdraw", kwargs={"dossier_id": dossier.pk})))
    assert "remboursés au complet" in page
    with django_capture_on_commit_callbacks(execute=True):  # the refund, once withdrawn
        client.post(
            reverse("employers:offer_withdraw", kwargs={"dossier_id": dossier.pk}),
            {"action": "confirm"},
        )
    payment.refresh_from_db()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.WITHDRAWN
    assert payment.refunded_cents == payment.amount_cents == 23000
    # Withdrawn: nothing more to withdraw.
    assert (
        client.get(
            reverse("employers:offer_withdraw", kwargs={"dossier_id": dossier.pk})
        ).status_code
        == 404
    )


def test_the_offer_number_is_given_at_transmission_and_drafts_use_none(
    client: Client, employer: Any
) -> None:
    """Issue 31.8: the seed gives the number once the offer is transmitted (after payment);
    abandoned drafts used numbers up."""
    abandoned = offer(employer)
    kept = offer(employer, emploi={"fee": "dispense", "fee_exemption_reason": "Exempté"})
    _sign(client, kept)
    page = text(client.get(reverse("employers:offers")))
    assert "Attribué à la transmission" in page and f"brouillon {kept.number}" in page
    kept = offers.transmit_exempt(dossier=Dossier.objects.get(pk=kept.pk), actor=employer)
    assert kept.number == "A0000001" and not kept.provisional
    assert Dossier.objects.get(pk=abandoned.pk).number.startswith("BR")
    page = text(client.get(reverse("employers:offer_view", kwargs={"dossier_id": kept.pk})))
    assert "A0000001" in page and "brouillon" not in page


def test_the_list_searches_sorts_and_pages(client: Client, employer: Any) -> None:
    made = []
    for n in range(12):
        made.append(offer(employer, travailleur={"last_name": f"Nom{n:02d}", "first_name": "Léa"}))
    page = text(client.get(reverse("employers:offers")))
    assert "Affichage de l'élément 1 à 10 sur 12 éléments" in page and "Page suivante" in page
    # The search is posted and kept in the session: the worker's name is in no address.
    sent = client.post(reverse("employers:offers"), {"travailleur": "nom07", "afficher": "10"})
    assert sent.status_code == 302 and "nom07" not in sent["Location"].lower()
    assert sent["Location"] == reverse("employers:offers") + "?afficher=10"
    page = text(client.get(sent["Location"]))
    assert "Nom07" in page and "Nom08" not in page and 'value="nom07"' in page
    # Still applied on the next pages and sorts; « Effacer la recherche » forgets it.
    assert "Nom08" not in text(client.get(reverse("employers:offers"), {"tri": "-numero"}))
    client.post(reverse("employers:offers"), {"action": "effacer", "travailleur": "nom07"})
    assert "Nom08" in text(client.get(reverse("employers:offers"), {"afficher": "25"}))
    client.post(reverse("employers:offers"), {"numero": made[3].number})
    page = text(client.get(reverse("employers:offers")))
    assert f"brouillon {made[3].number}" in page and made[4].number not in page
    client.post(reverse("employers:offers"), {"action": "effacer"})
    # A name typed into the address is not read.
    page = text(client.get(reverse("employers:offers"), {"travailleur": "nom07"}))
    assert "Nom08" in page
    page = text(client.get(reverse("employers:offers"), {"tri": "-numero"}))
    assert page.index(made[11].number) < page.index(made[10].number)
    page = text(client.get(reverse("employers:offers"), {"afficher": "25"}))
    assert "sur 12 éléments" in page and "Page suivante" not in page
    page = text(
        client.get(reverse("employers:offers"), {"tri": "nimporte", "afficher": "x", "page": "z"})
    )
    assert "Affichage de l'élément 1 à 10" in page


def test_another_companys_users_and_everyone_else_never_see_an_offer(
    client: Client, employer: Any
) -> None:
    dossier = offer(employer)
    colleague = gckey_holder()
    colleague.organisation = employer.organisation
    colleague.save()
    assert list(offers_for(colleague)) == [dossier]
    stranger = gckey_holder()
    company(stranger)
    assert list(offers_for(stranger)) == []
    assert list(offers_for(UserFactory.create(role=Role.CLIENT))) == []
    officer = staff(Role.MINISTRY_STAFF)
    assert list(offers_for(officer)) == []  # no employer-files role, and a draft anyway
    browser = Client()
    browser.force_login(stranger)
    for name in ("offer", "offer_view", "offer_pdf", "offer_withdraw", "offer_checklist"):
        url = reverse(f"employers:{name}", kwargs={"dossier_id": dossier.pk})
        assert browser.get(url).status_code == 404, name


def _submitted(employer: Any) -> Dossier:
    return submitted_offer(employer)


def test_staff_with_the_employer_files_role_read_write_to_the_company_and_flag_an_offer(
    employer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from guichet.accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        dossier = _submitted(employer)
    officer = staff(Role.MINISTRY_STAFF)
    User.objects.filter(pk=officer.pk).update(handles_employer_files=True)
    browser = Client()
    browser.force_login(officer)
    listed = text(browser.get(reverse("backoffice:employer_offers")))
    assert dossier.number in listed
    assert dossier.number in text(
        browser.get(reverse("backoffice:employer_offers"), {"rechercher": dossier.number})
    )
    url = reverse("backoffice:employer_offer", kwargs={"dossier_id": dossier.pk})
    page = text(browser.get(url))
    assert "Stagiaire en boulangerie" in page and "Camille" in page
    response = browser.post(url, {"action": "message", "message-body": ""})
    assert "Ce champ est obligatoire." in text(response)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(url, {"action": "message", "message-body": "Merci de préciser l'horaire."})
    dossier.refresh_from_db()
    assert dossier.thread.owner == employer
    assert dossier.thread.messages.filter(body="Merci de préciser l'horaire.").exists()
    assert mail.outbox and "Merci de préciser" not in mail.outbox[0].body  # only a notice
    browser.post(url, {"action": "inspection", "inspection-reason": "Vérification aléatoire"})
    assert (
        dossier.__class__.objects.get(pk=dossier.pk).inspection.reason == "Vérification aléatoire"
    )
    assert "Signalée" in text(browser.get(reverse("backoffice:employer_offers")))
    # Without the role, none of it; and the offers never reach the agents' dossier queue.
    other = staff(Role.MINISTRY_STAFF)
    browser.force_login(other)
    assert browser.get(reverse("backoffice:employer_offers")).status_code == 404
    assert browser.get(url).status_code == 404
    assert dossier.number not in text(browser.get(reverse("backoffice:dossiers")))
    assert (
        browser.get(reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})).status_code
        == 404
    )


def test_the_offer_kind_keeps_its_data_six_years() -> None:
    assert offers.OFFER.retention is not None and offers.OFFER.retention.days >= 6 * 365


def test_a_draft_typed_in_french_is_still_valid_in_english() -> None:
    from django.utils import translation

    with translation.override("en"):
        assert _errors("salaire", wage_amount="1 234,50", hours_per_day="7,5") == {}
        assert _errors("entreprise", gross_revenue="3 500 000,00") == {}


def test_a_paid_offer_that_a_rule_refuses_keeps_its_payment(
    employer: Any, bank: TestBank, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from guichet.audit.models import AuditEvent

    monkeypatch.setattr(payments, "get_provider", lambda code=None: bank)
    dossier = signed(offer(employer), employer)
    purpose = purposes.get_purpose("offre-emploi")
    assert purpose is not None
    slip = payments.start_mail_payment(purpose=purpose, object_id=str(dossier.pk), actor=employer)
    Dossier.objects.filter(pk=dossier.pk).update(deadline="2020-01-01")  # past: submit refuses
    payments.record_envelope(
        payment=slip,
        method="money_order",
        amount_cents=slip.amount_cents,
        received_on=timezone.localtime(slip.expires_at).date(),
        actor=staff(Role.MINISTRY_STAFF),
    )
    slip.refresh_from_db()
    assert slip.status == PaymentStatus.SUCCESS
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT
    assert AuditEvent.objects.filter(action="offer.paid_not_submitted").exists()
    assert dossier.number in caplog.text and "Camille" not in caplog.text


def test_five_wrong_answers_to_sign_an_offer_lock_even_the_right_one(
    client: Client, employer: Any
) -> None:
    """Issue 30.6: the answer that signs is guarded like a password."""
    dossier = offer(employer)
    answer = _answer_the_question(client, dossier)
    url = reverse("employers:offer_declaration", kwargs={"dossier_id": dossier.pk})
    signed = {"accept": "on", "first_name": "Julie", "last_name": "Tremblay"}
    for n in range(4):
        assert client.post(url, {**signed, "security_answer": f"non{n}"}).status_code == 422
    assert client.post(url, {**signed, "security_answer": "non5"}).status_code == 429
    assert client.post(url, {**signed, "security_answer": answer}).status_code == 429
    dossier.refresh_from_db()
    assert "signature" not in dossier.data


def test_the_fees_receipt_carries_the_offers_number_in_my_documents(
    client: Client, employer: Any, bank: TestBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 31.8: « Numéro de dossier » read « — » beside the receipt."""
    from guichet.documents.models import Document
    from guichet.payments.receipts import store_receipt

    monkeypatch.setattr(payments, "get_provider", lambda code=None: bank)
    dossier = offer(employer)
    _sign(client, dossier)
    client.post(
        reverse("payments:pay", kwargs={"purpose": "offre-emploi", "object_id": str(dossier.pk)}),
        {"method": "card"},
    )
    payment = Payment.objects.get(purpose="offre-emploi")
    pay_at_bank(payment, SUCCESS)
    client.get(reverse("payments:return", kwargs={"token": payment.return_token}))
    payment.refresh_from_db()
    receipt = Document.objects.filter(kind__startswith="recu").first() or store_receipt(payment)
    assert receipt.dossier_id == dossier.pk
    dossier.refresh_from_db()
    assert re.fullmatch(r"A\d{7}", dossier.number)  # numbered once paid and transmitted
    page = text(client.get(reverse("documents:mine")))
    assert dossier.number in page
