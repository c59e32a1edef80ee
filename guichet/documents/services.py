from typing import Any

from django.http import HttpResponse

from guichet.accounts.models import User
from guichet.audit.services import audit
from guichet.core.actor import Actor
from guichet.core.i18n import Texts, as_texts

from .models import Document


def store(
    *,
    owner: User,
    dossier: object | None,
    kind: str,
    title: str | Texts,
    filename: str,
    content: bytes,
    language: str,
) -> Document:
    """Keep one document of a kind per dossier (or per owner, for one that belongs to no
    dossier, such as a payment receipt named after its payment): a new version replaces the old
    one. Its title in every language when Guichet names it."""
    written, texts = as_texts(title, language)
    lookup: dict[str, Any] = (
        {"dossier": dossier, "kind": kind}
        if dossier is not None
        else {"owner": owner, "dossier": None, "kind": kind}
    )
    document, _ = Document.objects.update_or_create(
        **lookup,
        defaults={
            "owner": owner,
            "title": written,
            "title_texts": texts,
            "filename": filename,
            "content": content,
            "language": language,
        },
    )
    return document


def download(document: Document, *, actor: Actor | User) -> HttpResponse:
    """The file as an attachment; every download is audited (staff and owner alike)."""
    audit(actor, "document.downloaded", document)
    response = HttpResponse(bytes(document.content), content_type=document.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
