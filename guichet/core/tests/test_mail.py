from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage, get_connection
from django.test import Client
from django.urls import reverse

from guichet.core.email import send_templated_email
from guichet.core.mail import stored_mails

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_dir(settings, tmp_path: Path) -> Path:
    settings.MAIL_DIR = tmp_path / "mail"
    return settings.MAIL_DIR


def send_to_mail_dir(subject: str = "Confirmation") -> None:
    connection = get_connection("guichet.core.mail.MailDirBackend")
    EmailMessage(subject, "Bonjour", to=["a@example.org"], connection=connection).send()


def test_the_development_backend_writes_one_eml_file_per_message(mail_dir: Path) -> None:
    send_to_mail_dir("Premier")
    send_to_mail_dir("Second")
    files = sorted(mail_dir.glob("*.eml"))
    assert len(files) == 2
    assert all("example" not in f.name for f in files)  # no address in file names
    assert {m.subject for m in stored_mails()} == {"Premier", "Second"}


def test_the_development_mailbox_lists_and_shows_messages(
    client: Client,
    settings,
    mail_dir: Path,
) -> None:
    settings.DEBUG = True
    send_to_mail_dir("Créez votre profil de consultation")
    page = client.get(reverse("core:dev_mailbox"))
    assert page.status_code == 200
    assert "Créez votre profil de consultation" in page.content.decode()
    name = stored_mails()[0].name
    detail = client.get(reverse("core:dev_mail", kwargs={"name": name}))
    assert detail.status_code == 200
    assert "Bonjour" in detail.content.decode()
    raw = client.get(reverse("core:dev_mail_raw", kwargs={"name": name}))
    assert raw["Content-Type"] == "message/rfc822"


def test_the_development_mailbox_does_not_exist_outside_debug(
    client: Client,
    settings,
    mail_dir: Path,
) -> None:
    settings.DEBUG = False
    assert client.get(reverse("core:dev_mailbox")).status_code == 404


def test_the_development_mailbox_refuses_paths_outside_its_folder(
    client: Client,
    settings,
    mail_dir: Path,
) -> None:
    settings.DEBUG = True
    (mail_dir.parent / "secret.eml").write_text("Subject: secret\n\nsecret")
    assert (
        client.get(reverse("core:dev_mail", kwargs={"name": "..%2Fsecret.eml"})).status_code == 404
    )
    assert client.get(reverse("core:dev_mail", kwargs={"name": "absent.eml"})).status_code == 404


def test_templated_email_goes_through_real_smtp_in_the_recipients_language(smtp_sink) -> None:
    send_templated_email(to="client@example.org", template="new_message", language="en")
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"] == "client@example.org"
    assert message["Subject"] == "New on the portal"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "log in" in body


def test_templated_email_defaults_to_french(smtp_sink) -> None:
    send_templated_email(to="client@example.org", template="new_message")
    assert smtp_sink.messages[0]["Subject"] == "Du nouveau sur le portail"


def test_tests_otherwise_use_the_in_memory_outbox() -> None:
    send_templated_email(to="client@example.org", template="new_message")
    assert len(django_mail.outbox) == 1
