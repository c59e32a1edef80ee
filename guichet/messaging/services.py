"""Writing to the message centre. A message from the ministry is stored, then an email that
carries no personal data says that something is waiting (« Du nouveau sur le portail »)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.accounts.models import Role, User
from guichet.audit.services import audit
from guichet.core import events
from guichet.core.actor import Actor, Source
from guichet.core.email import send_templated_email, site_url
from guichet.core.i18n import Texts, as_texts
from guichet.core.refusals import Refused

from .models import Message, Sender, Thread


def dossier_thread(*, owner: User, subject: str | Texts, dossier: object) -> Thread:
    """The dossier's thread: one per dossier, created with its first message."""
    written, texts = as_texts(subject, owner.preferred_language)
    thread, _ = Thread.objects.get_or_create(
        dossier=dossier,
        defaults={
            "owner": owner,
            "subject": written,
            "subject_texts": texts,
            "last_message_at": timezone.now(),
        },
    )
    return thread


def topic_thread(*, owner: User, topic: str, subject: str | Texts) -> Thread:
    """The one general thread of a module's notices for this person."""
    written, texts = as_texts(subject, owner.preferred_language)
    thread, _ = Thread.objects.get_or_create(
        owner=owner,
        topic=topic,
        defaults={
            "subject": written,
            "subject_texts": texts,
            "last_message_at": timezone.now(),
        },
    )
    return thread


@transaction.atomic
def post(
    *,
    thread: Thread,
    body: str | Texts,
    sender: Sender,
    author: User | None = None,
    already_notified: bool = False,
) -> Message:
    """Add a message; the other side is told by email after commit when it comes from the
    ministry, unless the message is the copy of an email already sent (`already_notified`).
    A notice Guichet writes comes in every language (`Texts`); a person's message as typed."""
    written, texts = as_texts(body, thread.owner.preferred_language)
    written = written.strip()
    if not written:
        raise Refused("empty_message", _("Écrivez votre message."), field="body")
    message = Message.objects.create(
        thread=thread,
        sender=sender,
        author=author,
        body=written,
        body_texts={language: text.strip() for language, text in texts.items()},
        notified_at=timezone.now() if already_notified else None,
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    if sender != Sender.CLIENT and not already_notified:
        transaction.on_commit(lambda: send_new_message_notice.enqueue(message_id=message.pk))
    audit(
        author,
        "message.posted",
        message,
        details={"thread": thread.pk, "sender": str(sender)},
    )
    source = {Sender.CLIENT: Source.CLIENT, Sender.SYSTEM: Source.SYSTEM}.get(
        Sender(sender), Source.MINISTRY
    )
    events.emit(
        "message.posted",
        message,
        actor=Actor(user=author, source=source),
        payload={"thread": thread.pk, "sender": str(sender)},
    )
    return message


@transaction.atomic
def reply(*, thread: Thread, body: str, author: User) -> Message:
    """The client answers in a dossier thread."""
    if not thread.accepts_replies or thread.owner_id != author.pk:
        raise Refused("no_replies", _("On ne peut pas répondre à ce fil de messages."))
    return post(thread=thread, body=body, sender=Sender.CLIENT, author=author)


def keep_copy(
    *, owner: User, topic: str, thread_subject: Texts, subject: Texts, text: Texts
) -> Message:
    """Every notice is also stored (SPEC X3): the copy of an email in the person's message
    centre, in the topic's thread, without a second email, in every language."""
    thread = topic_thread(owner=owner, topic=topic, subject=thread_subject)
    body = {language: f"{subject[language]}\n\n{text[language]}" for language in text}
    return post(thread=thread, body=body, sender=Sender.SYSTEM, already_notified=True)


def mark_read_by_client(thread: Thread) -> int:
    return (
        thread.messages.filter(read_at__isnull=True)
        .exclude(sender=Sender.CLIENT)
        .update(read_at=timezone.now())
    )


def mark_read_by_ministry(thread: Thread) -> int:
    return thread.messages.filter(read_at__isnull=True, sender=Sender.CLIENT).update(
        read_at=timezone.now()
    )


@task()
def send_new_message_notice(*, message_id: int) -> None:
    """« Du nouveau sur le portail »: only that a message waits and how to sign in."""
    message = Message.objects.select_related("thread__owner").filter(pk=message_id).first()
    if message is None or message.notified_at is not None:
        return
    owner = message.thread.owner
    # One email for every message not told yet (a payment's receipt and its request's notice
    # arrive together): the first task claims them all, the others find nothing left.
    claimed = (
        Message.objects.filter(thread__owner=owner, notified_at__isnull=True)
        .exclude(sender=Sender.CLIENT)
        .update(notified_at=timezone.now())
    )
    if not claimed or not owner.email:
        return
    language = owner.preferred_language
    sign_in = "employers:login" if owner.role == Role.EMPLOYER else "accounts:login"
    send_templated_email(
        to=owner.email,
        template="new_message",
        language=language,
        context={"login_url": site_url(sign_in, language)},
    )
