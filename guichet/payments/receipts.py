"""After a successful payment: the receipt (a tagged PDF in « Mes documents », in French and
English on the same page) and a message in the message centre; the email only says a message
is waiting. Made by a background task that receives the payment's id only."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.core.i18n import in_languages
from guichet.core.money import format_cents
from guichet.core.pdf import write_pdf
from guichet.documents import services as documents
from guichet.documents.models import Document
from guichet.messaging import services as messaging
from guichet.messaging.models import Sender

from .models import Method, Payment, PaymentStatus
from .purposes import get_purpose

RECEIPT_KIND_PREFIX = "recu-"
TOPIC = "payments"


def _method_label(payment: Payment) -> str:
    if payment.method == Method.CARD:
        card = _("Carte de crédit")
        return f"{card} ···· {payment.card_last4}" if payment.card_last4 else card
    return str(Method(payment.method).label)


def _side(payment: Payment, language: str) -> dict[str, object]:
    with translation.override(language):
        return {
            "language": language,
            "method": _method_label(payment),
            "amount": format_cents(payment.amount_cents, payment.currency, language),
            "lines": [
                {
                    "label": line.label_en if language == "en" else line.label_fr,
                    "quantity": line.quantity,
                    "unit": format_cents(line.unit_cents, payment.currency, language),
                    "total": format_cents(line.total_cents, payment.currency, language),
                }
                for line in payment.lines.all()
            ],
        }


def render_receipt(payment: Payment) -> bytes:
    paid_at = timezone.localtime(payment.completed_at) if payment.completed_at else None
    html = render_to_string(
        "payments/receipt_pdf.html",
        {
            "payment": payment,
            "paid_at": paid_at,
            "sides": [_side(payment, "fr"), _side(payment, "en")],
        },
    )
    return write_pdf(html)


def receipt_message(payment: Payment) -> str:
    return _(
        "Bonjour,\n\nVotre paiement de %(amount)s a été reçu le %(date)s. Le reçu de votre "
        "paiement porte le numéro %(receipt)s ; il se trouve dans « Mes documents ».\n\n"
        "Ministère de l'Immigration, de la Francisation et de l'Intégration"
    ) % {
        "amount": format_cents(payment.amount_cents, payment.currency),
        "date": timezone.localtime(payment.completed_at).strftime("%Y-%m-%d %H:%M")
        if payment.completed_at
        else "",
        "receipt": payment.receipt_number,
    }


def store_receipt(payment: Payment) -> Document:
    purpose = get_purpose(payment.purpose)
    dossier = (
        purpose.dossier_of(payment.object_id)
        if purpose is not None and purpose.dossier_of is not None
        else None
    )
    return documents.store(
        owner=payment.payer,
        dossier=dossier,
        kind=f"{RECEIPT_KIND_PREFIX}{payment.reference}",
        title=in_languages(
            lambda: _("Reçu de paiement %(number)s") % {"number": payment.receipt_number}
        ),
        filename=f"recu-{payment.receipt_number}.pdf",
        content=render_receipt(payment),
        language=payment.payer.preferred_language,
    )


def tell_payer(payment: Payment, text: Callable[[], str]) -> None:
    """A message in the payer's « Vos paiements » thread, in every language (`text` is built
    once per language); the email only says that a message waits."""
    thread = messaging.topic_thread(
        owner=payment.payer, topic=TOPIC, subject=in_languages(lambda: _("Vos paiements"))
    )
    messaging.post(thread=thread, body=in_languages(text), sender=Sender.SYSTEM)


@task()
def after_payment(*, payment_id: int) -> None:
    payment = Payment.objects.select_related("payer").filter(pk=payment_id).first()
    if payment is None or payment.status != PaymentStatus.SUCCESS:
        return
    store_receipt(payment)
    tell_payer(payment, lambda: receipt_message(payment))
