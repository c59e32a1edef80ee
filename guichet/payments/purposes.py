"""What can be paid. A consumer (the employer's job offer, the CSQ application) registers a
`Purpose`: which fees a thing owes, who may pay for it, and what happens once it is paid. The
payments app names no consumer, as the dossier engine names no kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from guichet.accounts.models import User

    from .models import Payment


@dataclass(frozen=True)
class Owed:
    """One line of what is owed: a fee of the schedule, how many times."""

    fee_code: str
    quantity: int = 1


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str | Promise
    # The fees a thing owes (the schedule's amounts are those in force on the day it is paid).
    owed: Callable[[str], list[Owed]]
    # Whether this user may pay for this thing (its owner, a member of the owning company).
    may_pay: Callable[[User, str], bool]
    # Once paid, inside the payment's transaction: submit the request.
    on_paid: Callable[[Payment], None]
    # After « Transmettre et payer »: two hours to pay by card (seed 004 IV.2); 30 days by mail
    # (seed 002 FAQ 21).
    card_window: timedelta = timedelta(hours=2)
    mail_window: timedelta = timedelta(days=30)
    # « Annuler la transaction »: « Demande en traitement » for one hour, then it can be paid
    # again.
    retry_after_cancel: timedelta = timedelta(hours=1)
    # The last moment the thing may be paid, if it has one (a CSQ application: 30 days after its
    # submission, whatever the method, seed 002 FAQ 21): no attempt ends after it.
    pay_by: Callable[[str], datetime | None] | None = None
    # Where the page back from the provider leads (the request's page), if not the home page.
    back_url: Callable[[Payment], str] | None = None
    # The request is sent by its payment (an employer's offer, seed 004), or it was submitted
    # before and the payment only counts it (a CSQ application, seed 002): what the page says.
    submitted_by_payment: bool = True
    # The request's state in its own words, for « État de votre demande » (else the payment's).
    status_label: Callable[[str], str] | None = None
    # The dossier paid for, if the thing is one: its receipt in « Mes documents » carries its
    # number (« Numéro de dossier »).
    dossier_of: Callable[[str], Any] | None = None


_PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> Purpose:
    _PURPOSES[purpose.code] = purpose
    return purpose


def get_purpose(code: str) -> Purpose | None:
    return _PURPOSES.get(code)


def purpose_of(payment: Payment) -> Purpose:
    found = get_purpose(payment.purpose)
    if found is None:
        raise LookupError(payment.purpose)
    return found
