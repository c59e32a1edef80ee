"""The personalised list of required documents (issue 17 §10, seed 002 FAQ 1): sent for a paid
application with 90 days to mail them; each recorded received, or explained in writing;
processing starts once all are in."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.core.refusals import Refused
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.intake import services
from guichet.intake.models import Application

from .factories import officer, period, submitted

pytestmark = pytest.mark.django_db


def _paid() -> Application:
    period()
    dossier = submitted()
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.PAID)
    return Application.objects.get(dossier=dossier)


def test_the_list_goes_to_the_candidate_and_processing_starts_once_all_are_in(
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = _paid()
    agent = officer()
    with pytest.raises(Refused) as refusal:
        services.request_documents(application=application, standard=[], others=[], actor=agent)
    assert refusal.value.field == "standard"
    services.request_documents(
        application=application,
        standard=["passeport", "diplomes"],
        others=["Relevé de notes du master"],
        actor=agent,
    )
    application.refresh_from_db()
    assert application.documents_due == timezone.localdate() + timedelta(days=90)
    lines = list(application.required_documents.all())
    assert [d.label_fr for d in lines][-1] == "Relevé de notes du master"
    notice = application.dossier.thread.messages.order_by("-pk")[0]
    assert "90 jours" in notice.body and "Relevé de notes du master" in notice.body
    assert "Copy of the passport" in notice.body_texts["en"]
    with pytest.raises(Refused):
        services.request_documents(
            application=application, standard=["passeport"], others=[], actor=agent
        )
    today = timezone.localdate()
    services.record_document(document=lines[0], received_on=today, actor=agent)
    with pytest.raises(Refused):
        services.record_document(document=lines[0], received_on=today, actor=agent)
    services.record_document(document=lines[1], received_on=today, actor=agent)
    application.dossier.refresh_from_db()
    assert application.dossier.status == DossierStatus.PAID  # one still missing
    services.record_document(
        document=lines[2],
        received_on=today,
        explanation="L'université a fermé ; une attestation sur l'honneur est jointe.",
        actor=agent,
    )
    application.refresh_from_db()
    assert application.dossier.status == DossierStatus.IN_PROGRESS
    assert application.processing_started_at is not None
    assert "traitement débute" in application.dossier.thread.messages.order_by("-pk")[0].body


def test_the_officer_sends_and_records_from_the_application_page() -> None:
    application = _paid()
    browser = Client()
    browser.force_login(officer())
    url = reverse("backoffice:intake_application", kwargs={"application_id": application.pk})
    answer = browser.post(url, {"action": "request_documents", "documents-standard": ["passeport"]})
    assert answer.status_code == 302
    document = application.required_documents.get()
    page = browser.get(url).content.decode()
    assert "Liste de contrôle des documents" in page and f"record:{document.pk}" in page
    answer = browser.post(
        url, {"action": f"record:{document.pk}", f"doc-{document.pk}-received_on": "2099-01-01"}
    )
    assert answer.status_code == 200 and "futur" in answer.content.decode()
    browser.post(
        url,
        {
            "action": f"record:{document.pk}",
            f"doc-{document.pk}-received_on": timezone.localdate().isoformat(),
        },
    )
    application.refresh_from_db()
    assert application.dossier.status == DossierStatus.IN_PROGRESS
    # The candidate sees the list and each document's state.
    candidate_browser = Client()
    owner = application.dossier.owner
    assert owner is not None
    candidate_browser.force_login(owner)
    home = candidate_browser.get(reverse("intake:home")).content.decode()
    assert "Documents exigés" in home and "Reçu" in home
