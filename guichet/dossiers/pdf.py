"""« Récapitulatif de votre demande » as a tagged PDF (PDF/UA-1), in the owner's language."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from guichet.accounts.models import User
from guichet.core.i18n import in_languages
from guichet.documents import services as documents
from guichet.documents.models import Document

from .models import Dossier
from .recap import recap_context
from .registry import kind_of

RECAP_KIND = "recap"


def render_recap(dossier: Dossier, language: str) -> bytes:
    from weasyprint import HTML  # imported here: Pango is only needed when a PDF is made

    with translation.override(language):
        html = render_to_string(
            "dossiers/recap_pdf.html", recap_context(dossier) | {"LANGUAGE_CODE": language}
        )
    return bytes(
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
    )


def store_recap(dossier: Dossier, owner: User) -> Document:
    """The recap in `owner`'s documents (the dossier's owner, or the member of the owning
    organisation who submitted it), in their language."""
    language = owner.preferred_language
    title = in_languages(lambda: kind_of(dossier).recap_title)
    return documents.store(
        owner=owner,
        dossier=dossier,
        kind=RECAP_KIND,
        title=title,
        filename=f"recapitulatif-{dossier.number}.pdf",
        content=render_recap(dossier, language),
        language=language,
    )
