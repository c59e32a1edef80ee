"""Development mail: every message is written to MAIL_DIR as one .eml file, and the
DEBUG-only « Boîte de courriel de développement » page lists them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage as StdEmailMessage
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class MailDirBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        directory = Path(settings.MAIL_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            # The file name carries a time and a random id, never an address or a subject.
            name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:12]}.eml"
            (directory / name).write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent


@dataclass(frozen=True)
class StoredMail:
    name: str
    message: StdEmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def to(self) -> str:
        return str(self.message.get("To", ""))

    @property
    def date(self) -> str:
        return str(self.message.get("Date", ""))

    def text_body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def attachments(self) -> list[str]:
        return [part.get_filename() or "" for part in self.message.iter_attachments()]


def _read(path: Path) -> StoredMail:
    with path.open("rb") as handle:
        parsed = BytesParser(policy=policy.default).parse(handle)
    assert isinstance(parsed, StdEmailMessage)
    return StoredMail(name=path.name, message=parsed)


def stored_mails() -> list[StoredMail]:
    directory = Path(settings.MAIL_DIR)
    if not directory.is_dir():
        return []
    return [_read(p) for p in sorted(directory.glob("*.eml"), reverse=True)]


def stored_mail(name: str) -> StoredMail | None:
    directory = Path(settings.MAIL_DIR)
    candidate = directory / name
    # Only plain file names from the listing; nothing that climbs out of the directory.
    if candidate.name != name or candidate.suffix != ".eml" or not candidate.is_file():
        return None
    return _read(candidate)
