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
    """Keep one document of a kind per dossier: a new version replaces the old one. Its title
    in every language when Guichet names it."""
    written, texts = as_texts(title, language)
    document, _ = Document.objects.update_or_create(
        dossier=dossier,
        kind=kind,
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
