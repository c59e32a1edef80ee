"""« Demande de certificat de sélection du Québec » (Programme régulier des travailleurs
qualifiés, seed 002): a kind of the dossier engine owned by the principal applicant, who covers
the family (FAQ 16). A draft is kept 90 days from its first save (FAQ 18, 26); submitted within
an intake period it takes a place of the quota (`quota.py`), or none when its category may
submit at any time; a duplicate is set aside, never counted twice; its fees are a payments
purpose payable within 30 days of submission (FAQ 21), after which the application is deleted
and its place released (`services.delete_unpaid`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import Role, User
from guichet.audit.services import audit
from guichet.core import events
from guichet.core.actor import Actor
from guichet.core.refusals import Refused
from guichet.core.transitions import Transition
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import (
    ClockRule,
    DossierKind,
    NumberFormat,
    Owner,
    RowGroup,
    Section,
    SectionStatus,
    register,
)
from guichet.intake import quota
from guichet.intake.identity import keys_of, names_key
from guichet.intake.models import Application, Category, Exemption, IntakePeriod
from guichet.payments import purposes
from guichet.payments.models import Payment, PaymentStatus

from . import forms as csq_forms

CODE = "csq"
PRINCIPAL_FEE = "csq-requerant-principal"
DEPENDANT_FEE = "csq-personne-a-charge"
PAY_WITHIN = timedelta(days=30)  # seed 002 FAQ 7, 18, 21
DRAFT_DAYS = 90  # seed 002 FAQ 9, 18, 26
logger = logging.getLogger(__name__)


class NoConditions(forms.Form):
    """The conditions are the programme's: anyone with a client account may prepare one
    application (one account per email, FAQ 15)."""


def _refusals(user: User, answers: dict[str, Any]) -> list[str]:
    if user.role != Role.CLIENT:
        return [_("Seule une personne titulaire d'un compte peut préparer une demande de CSQ.")]
    return []


YES, NO = "oui", "non"
# A group shows until its question is answered « Non »: rows can be added without a script.
SECTIONS = (
    Section(
        key="requerant",
        title=gettext_lazy("Requérant principal"),
        form_class=csq_forms.PrincipalForm,
    ),
    Section(
        key="conjoint",
        title=gettext_lazy("Époux ou conjoint de fait"),
        form_class=csq_forms.SpouseForm,
    ),
    Section(
        key="enfants",
        title=gettext_lazy("Enfants à charge"),
        form_class=csq_forms.ChildrenForm,
        groups=(
            RowGroup(
                key="enfants",
                title=gettext_lazy("Enfants à charge"),
                row_title=gettext_lazy("Enfant %(number)s"),
                form_class=csq_forms.ChildForm,
                add_label=gettext_lazy("Ajouter un enfant"),
                max_rows=15,
                shown=lambda raw: raw.get("has_children") != NO,
                needed=lambda raw: raw.get("has_children") == YES,
            ),
        ),
    ),
    Section(
        key="etudes",
        title=gettext_lazy("Scolarité"),
        form_class=csq_forms.EducationForm,
        groups=(
            RowGroup(
                key="diplomes",
                title=gettext_lazy("Diplômes"),
                row_title=gettext_lazy("Diplôme %(number)s"),
                form_class=csq_forms.DiplomaForm,
                add_label=gettext_lazy("Ajouter un diplôme"),
                min_rows=1,
            ),
        ),
    ),
    Section(
        key="experience",
        title=gettext_lazy("Expérience professionnelle"),
        form_class=csq_forms.ExperienceForm,
        groups=(
            RowGroup(
                key="emplois",
                title=gettext_lazy("Emplois"),
                row_title=gettext_lazy("Emploi %(number)s"),
                form_class=csq_forms.JobForm,
                add_label=gettext_lazy("Ajouter un emploi"),
                shown=lambda raw: raw.get("has_experience") != NO,
                needed=lambda raw: raw.get("has_experience") == YES,
            ),
        ),
    ),
    Section(
        key="langues",
        title=gettext_lazy("Connaissances linguistiques"),
        form_class=csq_forms.LanguagesForm,
    ),
    Section(
        key="quebec",
        title=gettext_lazy("Séjours et famille au Québec"),
        form_class=csq_forms.QuebecForm,
        groups=(
            RowGroup(
                key="sejours",
                title=gettext_lazy("Séjours au Québec"),
                row_title=gettext_lazy("Séjour %(number)s"),
                form_class=csq_forms.StayForm,
                add_label=gettext_lazy("Ajouter un séjour"),
                shown=lambda raw: raw.get("has_stayed") != NO,
                needed=lambda raw: raw.get("has_stayed") == YES,
            ),
        ),
    ),
    Section(
        key="offre",
        title=gettext_lazy("Offre d'emploi validée"),
        form_class=csq_forms.JobOfferForm,
    ),
    Section(
        key="autonomie",
        title=gettext_lazy("Autonomie financière"),
        form_class=csq_forms.FinancesForm,
    ),
    Section(
        key="representant",
        title=gettext_lazy("Représentant"),
        form_class=csq_forms.RepresentativeForm,
    ),
    Section(
        key="declaration",
        title=gettext_lazy("Déclaration"),
        form_class=csq_forms.DeclarationForm,
    ),
)


def section_data(dossier: Dossier, key: str) -> dict[str, Any]:
    data = dossier.data.get(key)
    return data if isinstance(data, dict) else {}


def dependants(dossier: Dossier) -> int:
    """The spouse and the children the principal applicant covers (each owes the dependant's
    fee)."""
    spouse = 1 if section_data(dossier, "conjoint").get("has_spouse") == YES else 0
    children = section_data(dossier, "enfants")
    rows = children.get("enfants") if children.get("has_children") == YES else []
    return spouse + len(rows or [])


def claimed_category(dossier: Dossier) -> str:
    """What the candidate says: an offer validated by the ministry, a temporary resident
    authorised, or neither (within the quota). A claim, not a fact."""
    if section_data(dossier, "offre").get("has_offer") == YES:
        return Category.JOB_OFFER
    if section_data(dossier, "quebec").get("temporary_resident") == YES:
        return Category.TEMPORARY_RESIDENT
    return Category.QUOTA


def offer_named(number: str) -> Dossier | None:
    """The employer's offer a typed number names (spaces and case ignored), if it was ever
    transmitted: for the claim's check and for the officer who verifies one."""
    from guichet.employers.kinds.offer import kind as offers

    number = "".join(number.split()).upper()
    if not number:
        return None
    return (
        Dossier.objects.filter(kind=offers.CODE, number=number)
        .exclude(status=DossierStatus.DRAFT)
        .select_related("validation")
        .first()
    )


def validated_offer(dossier: Dossier) -> Dossier | None:
    """The employer's offer the number names, if the ministry validated it and its worker is
    the principal applicant (names folded as for duplicates, and the date of birth): only a
    record confirms the claim, never the number typed alone."""
    offer = offer_named(str(section_data(dossier, "offre").get("offer_number") or ""))
    if (
        offer is None
        or offer.status != DossierStatus.SUBMITTED
        or getattr(offer, "validation", None) is None
    ):
        return None
    worker = offer.data.get("travailleur") or {}
    principal = section_data(dossier, "requerant")
    named = names_key(worker.get("last_name"), worker.get("first_name"), worker.get("birth_date"))
    applying = names_key(
        principal.get("last_name"), principal.get("first_name"), principal.get("birth_date")
    )
    return offer if named and named == applying else None


def _exemption(dossier: Dossier) -> str:
    found = Application.objects.filter(dossier=dossier).values_list("exemption", flat=True).first()
    return found or Exemption.NONE


def category_of(dossier: Dossier) -> str:
    """The category an application is submitted in (seed 002 « Rappel »): outside the quota
    only when a record confirms it (a validated offer for this person) or an officer did;
    a claim an officer refused leaves the application within the quota."""
    claimed = claimed_category(dossier)
    if claimed == Category.QUOTA:
        return Category.QUOTA
    if claimed == Category.JOB_OFFER and validated_offer(dossier) is not None:
        return Category.JOB_OFFER
    if _exemption(dossier) == Exemption.REFUSED:
        return Category.QUOTA
    return claimed


def needs_verification(dossier: Dossier) -> bool:
    """A claim outside the quota that no record confirms: an intake officer checks it first
    (« En vérification »), and meanwhile it holds no place and is not « Soumise »."""
    category = category_of(dossier)
    if category == Category.QUOTA:
        return False
    if category == Category.JOB_OFFER and validated_offer(dossier) is not None:
        return False
    return _exemption(dossier) != Exemption.CONFIRMED


def consistency_errors(dossier: Dossier) -> list[str]:
    """What one section says against another (checked at submission)."""
    status = section_data(dossier, "requerant").get("marital_status")
    has_spouse = section_data(dossier, "conjoint").get("has_spouse")
    errors = []
    if status in csq_forms.WITH_SPOUSE and has_spouse == "non":
        errors.append(
            _(
                "Votre état matrimonial indique un époux ou un conjoint de fait : remplissez la "
                "section « Époux ou conjoint de fait »."
            )
        )
    if status not in csq_forms.WITH_SPOUSE and has_spouse == YES:
        errors.append(
            _(
                "Vous avez indiqué un conjoint, mais votre état matrimonial ne le mentionne pas : "
                "corrigez l'une des deux sections."
            )
        )
    return errors


# --- Periods ---------------------------------------------------------------------------------


def current_period(*, now: Any = None) -> IntakePeriod | None:
    now = now or timezone.now()
    return (
        IntakePeriod.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("opens_at")
        .first()
    )


def next_period(*, now: Any = None) -> IntakePeriod | None:
    now = now or timezone.now()
    return IntakePeriod.objects.filter(opens_at__gt=now).order_by("opens_at").first()


def period_for(category: str, *, now: Any = None) -> IntakePeriod | None:
    """The period an application is submitted in: the open one for the quota; for a category
    outside it, the open one, else the next, else the last, if that period accepts it."""
    now = now or timezone.now()
    current = current_period(now=now)
    if category == Category.QUOTA:
        return current
    period = current or next_period(now=now) or IntakePeriod.objects.order_by("-opens_at").first()
    if period is None:
        return None
    accepted: dict[str, bool] = {
        Category.JOB_OFFER: period.accepts_job_offer,
        Category.TEMPORARY_RESIDENT: period.accepts_temporary_residents,
    }
    return period if accepted.get(category) else None


def submission_blocked(dossier: Dossier, *, now: Any = None) -> Refused | None:
    """Why submission cannot be activated now (no open period, the quota reached), or None."""
    category = category_of(dossier)
    period = period_for(category, now=now)
    if period is None:
        if category == Category.QUOTA:
            return Refused(
                "no_period",
                _(
                    "Aucune période de réception des demandes n'est ouverte : vous pourrez "
                    "soumettre votre demande à l'ouverture de la prochaine période."
                ),
            )
        return Refused(
            "category_not_accepted",
            _("Les demandes de votre catégorie ne sont pas reçues en ce moment."),
        )
    if category != Category.QUOTA:
        return None
    user = dossier.owner
    holds = user is not None and quota.active_reservation(period=period, user=user) is not None
    if period.quota_reached and not holds:
        return quota.quota_reached()
    if period.is_full and not holds:
        return quota.places_reserved()
    if period.waiting_room and not holds:
        # Seed 002: during the opening, one submits when one's turn comes in the waiting room.
        return Refused(
            "waiting_room",
            _(
                "Pendant cette période, les demandes sont soumises à partir de la salle "
                "d'attente virtuelle : entrez dans la salle d'attente, vous pourrez soumettre "
                "votre demande quand votre tour viendra."
            ),
        )
    return None


# --- The submission's hooks ------------------------------------------------------------------

DUPLICATE_REASON = gettext_lazy(
    "Une autre demande au nom de la même personne (mêmes nom, prénom, date de naissance et "
    "numéro de passeport) a déjà été soumise. Les doublons sont repérés et supprimés : cette "
    "demande n'est pas comptabilisée."
)


def _before_submit(dossier: Dossier, user: User) -> None:
    errors = consistency_errors(dossier)
    if errors:
        raise Refused("inconsistent", errors[0], reasons=errors)
    blocked = submission_blocked(dossier)
    if blocked is not None:
        raise blocked


def _on_submit(dossier: Dossier, user: User) -> None:
    """Inside the submission's transaction: the identity (for duplicates), the category and
    period, then the place of the quota (the transaction is undone if none is left)."""
    application = Application.objects.select_for_update().get(dossier=dossier)
    principal = section_data(dossier, "requerant")
    dossier.first_name = str(principal.get("first_name", ""))[:100]
    dossier.last_name = str(principal.get("last_name", ""))[:100]
    dossier.sex = str(principal.get("sex", ""))[:1]
    try:
        dossier.birth_date = date.fromisoformat(str(principal["birth_date"]))
    except (KeyError, ValueError):
        dossier.birth_date = None
    keys = keys_of(principal)
    category = category_of(dossier)
    period = period_for(category)
    if period is None:  # checked before; a period closed meanwhile
        raise Refused("no_period", _("La période de réception des demandes est fermée."))
    application.period = period
    application.category = category
    application.identity_key, application.passport_key, application.names_key = (
        keys.exact,
        keys.passport,
        keys.names,
    )
    application.pay_by = (dossier.submitted_at or timezone.now()) + PAY_WITHIN
    # The identity first: the database lets one counted application per identity; a parallel
    # submission of the same identity waits for this one and is set aside.
    try:
        with transaction.atomic():
            application.counted = True
            application.save()
    except IntegrityError:
        application.counted = False
        application.set_aside_reason = str(DUPLICATE_REASON)
        application.save()
        dossiers.transition(dossier, "set_aside", Actor.system())
        quota.release_held(user=user)  # a reservation it held goes back now
        return
    # Not the same person surely, but the same passport, or the same names and date of birth
    # (look-alike letters folded): both are flagged for an officer now, not at the nightly job.
    # The others are flagged after the commit: a submission locks no other application's row
    # (two submissions flagging each other would wait on each other).
    alike = (
        Application.objects.filter(counted=True)
        .exclude(pk=application.pk)
        .filter(Q(passport_key=keys.passport) | Q(names_key=keys.names))
    )
    if alike.exists():
        application.possible_duplicate = True
        application.save(update_fields=["possible_duplicate"])
        others = list(alike.filter(possible_duplicate=False).values_list("pk", flat=True))
        transaction.on_commit(lambda: _flag(others))
    if category == Category.QUOTA:
        quota.take_place(period=period, user=user, application=application)
    else:
        quota.release_held(user=user)  # outside the quota: a reservation is not needed
    # Drafts of the same person in other accounts can no longer be counted: a place they hold
    # goes back as soon as this one is committed.
    twins = list(
        Application.objects.filter(identity_key=keys.exact, counted=False)
        .exclude(pk=application.pk)
        .values_list("dossier__owner_id", flat=True)
    )
    if twins:
        transaction.on_commit(lambda: _release_twins(twins))
    # Its confirmation letter follows (`subscribers`).
    events.emit("application.counted", application, payload={"dossier": dossier.pk})


def _release_twins(owner_ids: Sequence[int | None]) -> None:
    for owner in User.objects.filter(pk__in=[pk for pk in owner_ids if pk is not None]):
        quota.release_held(user=owner)


def _flag(application_ids: list[int]) -> None:
    """One row per statement: two submissions flagging each other's rows never deadlock."""
    for pk in application_ids:
        Application.objects.filter(pk=pk, possible_duplicate=False).update(possible_duplicate=True)


def _when(value: Any) -> str:
    return date_format(timezone.localtime(value), "j F Y H:i") if value else ""


def _submitted_message(dossier: Dossier) -> str:
    application = Application.objects.filter(dossier=dossier).first()
    if dossier.status == DossierStatus.SET_ASIDE:
        return "\n".join(
            [
                _("Bonjour,"),
                "",
                _("Votre demande de certificat de sélection %(number)s a été écartée.")
                % {"number": dossier.number},
                "",
                str(application.set_aside_reason if application else DUPLICATE_REASON),
                "",
                _("Ministère de l'Immigration, de la Francisation et de l'Intégration"),
            ]
        )
    outside = application is not None and application.category != Category.QUOTA
    lines = [
        _("Bonjour,"),
        "",
        _("Votre demande de certificat de sélection %(number)s a été soumise le %(when)s.")
        % {"number": dossier.number, "when": _when(dossier.submitted_at)},
        _(
            "Elle a été reçue dans une catégorie qui peut soumettre une demande en tout temps, "
            "hors du nombre maximal de demandes."
        )
        if outside
        else _("Elle est admise dans le nombre maximal de demandes de la période de réception."),
        "",
        _(
            "Vous disposez de 30 jours, soit jusqu'au %(when)s, pour payer les frais relatifs à "
            "votre demande. Votre demande est comptabilisée seulement une fois les frais payés ; "
            "sans paiement dans ce délai, elle sera supprimée."
        )
        % {"when": _when(application.pay_by if application else None)},
        _("La confirmation se trouve dans « Consultation des documents »."),
        "",
        _("Ministère de l'Immigration, de la Francisation et de l'Intégration"),
    ]
    return "\n".join(lines)


def thread_subject(dossier: Dossier) -> str:
    return _("Demande de certificat de sélection %(number)s") % {"number": dossier.number}


CSQ = register(
    DossierKind(
        code=CODE,
        label=gettext_lazy("Demande de certificat de sélection du Québec"),
        # Q, the year, then 8 digits: Q2600000123.
        number_format=NumberFormat(prefix="Q", digits=10, yearly=True),
        sections=SECTIONS,
        conditions_form=NoConditions,
        refusals=_refusals,
        submitted_message=_submitted_message,
        recap_title=gettext_lazy("Sommaire de la demande de certificat de sélection"),
        transitions={
            "submit": Transition(frozenset({DossierStatus.DRAFT}), DossierStatus.SUBMITTED),
            # A claim outside the quota, until an officer confirms it (then submitted) or
            # refuses it (back to a draft, within the quota).
            "verify": Transition(frozenset({DossierStatus.DRAFT}), DossierStatus.PENDING),
            "reopen": Transition(frozenset({DossierStatus.PENDING}), DossierStatus.DRAFT),
            "pay": Transition(frozenset({DossierStatus.SUBMITTED}), DossierStatus.PAID),
            "start": Transition(frozenset({DossierStatus.PAID}), DossierStatus.IN_PROGRESS),
            "close": Transition(frozenset({DossierStatus.IN_PROGRESS}), DossierStatus.CLOSED),
            "set_aside": Transition(
                frozenset({DossierStatus.SUBMITTED, DossierStatus.PAID}), DossierStatus.SET_ASIDE
            ),
            "refuse": Transition(
                frozenset({DossierStatus.SUBMITTED, DossierStatus.PAID, DossierStatus.IN_PROGRESS}),
                DossierStatus.REFUSED,
            ),
        },
        deadline_days=DRAFT_DAYS,
        owner=Owner.PERSON,
        status_labels={
            DossierStatus.DRAFT: gettext_lazy("Non soumise"),
            DossierStatus.PENDING: gettext_lazy("En vérification"),
            DossierStatus.SUBMITTED: gettext_lazy("Soumise, en attente du paiement"),
            DossierStatus.PAID: gettext_lazy("Payée, en attente de traitement"),
            DossierStatus.IN_PROGRESS: gettext_lazy("En traitement"),
            DossierStatus.CLOSED: gettext_lazy("Décision rendue"),
            DossierStatus.SET_ASIDE: gettext_lazy("Écartée (doublon)"),
            DossierStatus.REFUSED: gettext_lazy("Refusée"),
        },
        section_status_labels={
            SectionStatus.NOT_STARTED: gettext_lazy("À remplir"),
            SectionStatus.IN_PROGRESS: gettext_lazy("À compléter"),
            SectionStatus.COMPLETE: gettext_lazy("Complétée"),
        },
        buttons=(),
        listed=False,
        before_submit=_before_submit,
        on_submit=_on_submit,
        stores_recap=False,
        thread_subject=thread_subject,
        # Seed 003: « Lettre confirmant l'ouverture de votre dossier » within 30 business days
        # of receipt, suspended while the fees are unpaid (« acquitter les frais exigés »); a
        # duplicate set aside or a refused claim is not an application the ministry processes.
        clock=ClockRule(
            commitment="csq-file-opening",
            stops_on="application.file_opened",
            suspended_in={DossierStatus.SUBMITTED: "fees_unpaid"},
            dropped_in=frozenset({DossierStatus.SET_ASIDE, DossierStatus.REFUSED}),
            what=gettext_lazy("Lettre d'ouverture de dossier"),
        ),
    )
)


# --- The fees, through the payments app ------------------------------------------------------


def _dossier(object_id: str) -> Dossier | None:
    if not object_id.isdigit():
        return None
    return Dossier.objects.filter(pk=int(object_id), kind=CODE).first()


def _owed(object_id: str) -> list[purposes.Owed]:
    dossier = _dossier(object_id)
    if dossier is None:
        return []
    owed = [purposes.Owed(PRINCIPAL_FEE)]
    count = dependants(dossier)
    if count:
        owed.append(purposes.Owed(DEPENDANT_FEE, count))
    return owed


def _may_pay(user: User, object_id: str) -> bool:
    dossier = _dossier(object_id)
    if dossier is None or dossier.owner_id != user.pk:
        return False
    if dossier.status != DossierStatus.SUBMITTED:
        return dossier.status == DossierStatus.PAID  # the receipt stays reachable
    application = Application.objects.filter(dossier=dossier).first()
    return (
        application is not None
        and application.pay_by is not None
        and (application.pay_by > timezone.now())
    )


def _pay_by(object_id: str) -> Any:
    dossier = _dossier(object_id)
    application = Application.objects.filter(dossier=dossier).first() if dossier else None
    return application.pay_by if application is not None else None


def _on_paid(payment: Payment) -> None:
    """Paid within the 30 days: the application is counted (FAQ 7). A payment for an
    application no longer waiting for it (set aside meanwhile) stands and is reported for the
    ministry to refund."""
    dossier = _dossier(payment.object_id)
    if dossier is None or dossier.status != DossierStatus.SUBMITTED:
        logger.error("CSQ payment %s for an application not awaiting it", payment.reference)
        audit(None, "intake.paid_not_awaited", payment)
        return
    row = dossiers.locked(dossier)
    dossiers.transition(row, "pay", Actor.system())
    row.save(update_fields=["status", "updated_at"])
    Application.objects.filter(dossier=row).update(paid_at=timezone.now())
    application = Application.objects.get(dossier=row)
    quota.mark_paid(application)
    audit(None, "intake.application_paid", row)


purposes.register(
    purposes.Purpose(
        code=CODE,
        label=gettext_lazy("Demande de certificat de sélection du Québec"),
        owed=_owed,
        may_pay=_may_pay,
        on_paid=_on_paid,
        pay_by=_pay_by,
        back_url=lambda payment: reverse("intake:home"),
        submitted_by_payment=False,
        status_label=lambda object_id: (
            found.status_label if (found := _dossier(object_id)) is not None else ""
        ),
        dossier_of=lambda object_id: _dossier(object_id),
    )
)


def receipt_number(dossier: Dossier) -> str:
    paid = Payment.objects.filter(
        purpose=CODE, object_id=str(dossier.pk), status=PaymentStatus.SUCCESS
    ).first()
    return (paid.receipt_number or "") if paid is not None else ""
