"""PDF documents: WeasyPrint's tagged PDF/UA-1, with the language of each part marked.

WeasyPrint tags the structure (headings, paragraphs, sections) but writes the language of the
document only. A bilingual document (a receipt, a CSQ letter: French, then English) must say
which part is English (WCAG 3.1.2, PDF/UA): each top-level `<section lang="…">` of the HTML is a
`/Sect` of the structure tree, in the same order, and gets its `/Lang`."""

from __future__ import annotations

import io
import re
from typing import cast

from django.conf import settings
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

SECTION_LANGUAGE = re.compile(r"<section\b[^>]*\blang=\"([a-z-]+)\"", re.IGNORECASE)


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML  # Pango only when a PDF is made

    pdf = bytes(
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
    )
    languages = SECTION_LANGUAGE.findall(html)
    return mark_section_languages(pdf, languages) if languages else pdf


def _sections(node: object) -> list[DictionaryObject]:
    """The /Sect elements of the structure tree, in reading order."""
    found: list[DictionaryObject] = []
    node = node.get_object() if hasattr(node, "get_object") else node
    if not isinstance(node, DictionaryObject):
        if isinstance(node, list):
            for child in node:
                found.extend(_sections(child))
        return found
    if node.get("/S") == "/Sect":
        found.append(node)
        return found  # a section's own sections are not top-level ones
    kids = node.get("/K")
    if kids is not None:
        found.extend(_sections(kids))
    return found


def mark_section_languages(pdf: bytes, languages: list[str]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    root = writer.root_object
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return pdf
    for section, language in zip(_sections(tree), languages, strict=False):
        section[NameObject("/Lang")] = TextStringObject(language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def section_languages(pdf: bytes) -> list[str | None]:
    """What a reader is told of each part's language (for tests)."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get_object()
    tree = cast(DictionaryObject, root)["/StructTreeRoot"]
    return [str(s["/Lang"]) if "/Lang" in s else None for s in _sections(tree)]
