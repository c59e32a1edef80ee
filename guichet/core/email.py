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

from .models import SentEmail
from .tasks import current_task, sent_key


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
    # Run again (a task reclaimed or retried), a task does not send what it already sent.
    key = _sent_key(to, template)
    if key is not None and SentEmail.objects.filter(key=key).exists():
        return subject, text
    message.send()
    if key is not None:
        SentEmail.objects.get_or_create(key=key)
    return subject, text


def _sent_key(to: str, template: str) -> str | None:
    task = current_task.get()
    return sent_key(task, to, template) if task else None


def already_sent(*, to: str, template: str) -> bool:
    """The task running now sent this email on an earlier attempt: a task that makes a secret
    (a temporary password, a code) asks first, so that a second attempt neither sends it again
    nor replaces the one the person received."""
    key = _sent_key(to, template)
    return key is not None and SentEmail.objects.filter(key=key).exists()
