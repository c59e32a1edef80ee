"""Sending notices: rendered in the recipient's language, delivered by a background task.

Templates live in `templates/emails/<name>_subject.txt`, `<name>_body.txt` and optionally
`<name>_body.html`. Bodies must not carry personal data beyond what the seeds show.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def render_email(name: str, context: dict[str, Any], language: str) -> tuple[str, str, str | None]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context)
        try:
            html: str | None = render_to_string(f"emails/{name}_body.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, text, html


def site_url(url_name: str, language: str, **kwargs: Any) -> str:
    """An absolute link for an email, in the recipient's language."""
    with translation.override(language):
        return settings.SITE_URL + reverse(url_name, kwargs=kwargs or None)


def send_templated_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    language: str = "fr",
    attachments: list[tuple[str, str, str]] | None = None,
) -> tuple[str, str]:
    """Render in the recipient's language and send through the configured backend (SMTP in
    production). Called from background tasks and periodic jobs: a request queues a task that
    receives ids only, and the task looks up (or makes) what the message says, so no message
    text — a temporary password, an authorization code, a user code — is ever stored as a task
    argument. Returns the subject and text, for the copy kept in the message centre."""
    subject, text, html = render_email(template, context or {}, language)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
    return subject, text
