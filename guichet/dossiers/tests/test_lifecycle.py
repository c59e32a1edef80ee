# mypy: disable-error-code="arg-type, union-attr"
# (dossier.owner, .first() and .last() are Optional; the tests create them.)
from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.audit.models import AuditEvent
from guichet.core.refusals import Refused
from guichet.dossiers import services
from guichet.dossiers.kinds.accompagnement import casework
from guichet.dossiers.kinds.accompagnement.kind import ACCOMPAGNEMENT_QUEBEC
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import SectionStatus, kind_of
from guichet.messaging.models import Message

from .factories import (
    IDENTIFICATION,
    agent,
    complete,
    draft,
    first_appointment,
    submitted,
    with_profile,
)

pytestmark = pytest.mark.django_db


def test_a_new_dossier_is_a_draft_with_a_number_and_a_90_day_deadline() -> None:
    dossier = draft()
    assert dossier.status == DossierStatus.DRAFT
    assert len(dossier.number) == 11 and dossier.number[0] == "G"
    assert dossier.number[1:3] == f"{timezone.localdate().year % 100:02d}"
    assert dossier.deadline == timezone.localdate() + timedelta(days=90)
    assert list(dossier.events.values_list("action", flat=True)) == ["create"]


def test_numbers_follow_each_other_and_never_repeat() -> None:
    numbers = [draft().number for _ in range(3)]
    assert len(set(numbers)) == 3
    assert [int(n[3:]) for n in numbers] == sorted(int(n[3:]) for n in numbers)


def test_it_refuses_a_person_under_18() -> None:
    young = with_profile(birth_date=timezone.localdate() - timedelta(days=17 * 365))
    with pytest.raises(Refused) as refused:
        services.create(kind=ACCOMPAGNEMENT_QUEBEC, actor=young, answers={"document": "caq"})
    assert "18 ans" in refused.value.reasons[0]
    assert not Dossier.objects.exists()


def test_it_refuses_a_person_without_caq_csq_or_ircc_document() -> None:
    with pytest.raises(Refused) as refused:
        services.create(
            kind=ACCOMPAGNEMENT_QUEBEC, actor=with_profile(), answers={"document": "none"}
        )
    assert "CAQ" in refused.value.reasons[0]


def test_it_refuses_a_second_open_dossier_of_the_same_type() -> None:
    owner = with_profile()
    draft(owner)
    with pytest.raises(Refused):
        draft(owner)


def test_section_status_is_derived_from_the_data() -> None:
    dossier = draft()
    statuses = dict((s.key, status) for s, status in services.section_statuses(dossier))
    assert set(statuses.values()) == {SectionStatus.NOT_STARTED}
    dossier = services.save_section(
        dossier=dossier,
        section_key="identification",
        raw=IDENTIFICATION | {"ircc_number": "123"},
        actor=dossier.owner,
    )
    statuses = dict((s.key, status) for s, status in services.section_statuses(dossier))
    assert statuses["identification"] == SectionStatus.IN_PROGRESS
    assert dossier.data["identification"]["ircc_number"] == "123"  # kept as typed
    dossier = complete(dossier)
    statuses = dict((s.key, status) for s, status in services.section_statuses(dossier))
    assert set(statuses.values()) == {SectionStatus.COMPLETE}


@pytest.mark.parametrize(
    ("section", "raw", "field"),
    [
        ("identification", IDENTIFICATION | {"mifi_number": "1234567"}, "mifi_number"),
        ("identification", IDENTIFICATION | {"mifi_number": "12345+678"}, "mifi_number"),
        ("identification", IDENTIFICATION | {"ircc_number": "123456789"}, "ircc_number"),
        ("identification", IDENTIFICATION | {"detail_citizen": ""}, "detail_citizen"),
        (
            "identification",
            IDENTIFICATION | {"has_mifi_number": "non", "has_ircc_number": "non"},
            "has_ircc_number",
        ),
        ("premier_rendez_vous", {"availability": []}, "availability"),
        ("premier_rendez_vous", {"french_sufficient": "non", "languages": []}, "languages"),
        (
            "premier_rendez_vous",
            {"french_sufficient": "non", "languages": ["other"], "other_language": ""},
            "other_language",
        ),
    ],
)
def test_submission_lists_each_error_with_its_field(section, raw, field) -> None:
    dossier = complete(draft())
    if section == "premier_rendez_vous":
        raw = first_appointment(**raw)
    dossier = services.save_section(
        dossier=dossier, section_key=section, raw=raw, actor=dossier.owner
    )
    errors = services.submission_errors(dossier)
    assert [(e.section_key, e.field) for e in errors] == [(section, field)]
    with pytest.raises(Refused):
        services.submit(dossier=dossier, actor=dossier.owner)


def test_languages_are_not_asked_when_french_is_sufficient() -> None:
    dossier = complete(draft())
    assert services.submission_errors(dossier) == []
    rows = kind_of(dossier).section("premier_rendez_vous").bind(first_appointment()).rows()
    assert "languages" not in [name for name, _label, _value in rows]


def test_submitting_makes_it_presented_dated_and_read_only(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.submitted_at is not None
    # Seed 001's « dans les 24h » on the business-day clock: by the end of the next business
    # day (guichet/commitments/tests/test_attached.py checks the clock itself), set by the
    # commitments' subscriber after the commit.
    dossier.refresh_from_db()
    kept = dossier.accompaniment  # the kind's own record, beside the engine's dossier
    due = timezone.localtime(kept.first_appointment_due_at)
    assert due > dossier.submitted_at and (due.hour, due.minute) == (23, 59)
    assert dossier.profile_snapshot["passport_last_name"] == "Valdero"
    assert (dossier.first_name, dossier.last_name, dossier.sex) == ("Maria", "Valdero", "F")
    assert kept.languages == "fr" and kept.availability == "mon_am"
    with pytest.raises(Refused):
        services.save_section(
            dossier=dossier, section_key="identification", raw=IDENTIFICATION, actor=dossier.owner
        )
    with pytest.raises(Refused):
        services.submit(dossier=dossier, actor=dossier.owner)
    assert [e.action for e in dossier.events.all()][-1] == "submit"
    event = dossier.events.last()
    assert (event.from_status, event.to_status, event.source) == ("draft", "submitted", "client")
    message = Message.objects.get(thread__dossier=dossier)
    assert dossier.number in message.body
    assert dossier.documents.get().filename == f"recapitulatif-{dossier.number}.pdf"


def test_only_the_owner_saves_or_submits() -> None:
    dossier = complete(draft())
    stranger = with_profile()
    with pytest.raises(Refused):
        services.save_section(dossier=dossier, section_key="identification", raw={}, actor=stranger)
    with pytest.raises(Refused):
        services.submit(dossier=dossier, actor=stranger)


def test_it_refuses_submission_after_the_deadline() -> None:
    dossier = complete(draft())
    Dossier.objects.filter(pk=dossier.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(Refused):
        services.submit(dossier=dossier, actor=dossier.owner)


def test_agent_transitions_follow_the_lifecycle() -> None:
    dossier = submitted()
    aai = agent()
    dossier = casework.assign(dossier=dossier, agent=aai, actor=aai)
    assert dossier.status == DossierStatus.IN_PROGRESS and dossier.assigned_to == aai
    dossier = casework.close(dossier=dossier, actor=aai)
    assert dossier.status == DossierStatus.CLOSED
    with pytest.raises(Refused):
        casework.close(dossier=dossier, actor=aai)
    with pytest.raises(Refused):
        casework.assign(dossier=draft(), agent=aai, actor=aai)
    assert [e.source for e in dossier.events.filter(action="close")] == ["ministry"]
    labels = [e.action_label for e in dossier.events.all()]
    assert labels[-3:] == ["Soumission", "Attribution", "Fermeture"]


def test_only_ministry_agents_can_be_assigned() -> None:
    dossier = submitted()
    with pytest.raises(Refused):
        casework.assign(dossier=dossier, agent=with_profile(), actor=agent())


def test_drafts_are_warned_at_14_and_2_days_then_purged(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    dossier = draft()
    today = timezone.localdate()
    Dossier.objects.filter(pk=dossier.pk).update(deadline=today + timedelta(days=14))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_drafts(today=today) == 1
        assert services.warn_drafts(today=today) == 0  # once per threshold
    with django_capture_on_commit_callbacks(execute=True):  # twelve days later
        assert services.warn_drafts(today=today + timedelta(days=12)) == 1
        assert services.warn_drafts(today=today + timedelta(days=13)) == 0
    messages = list(Message.objects.filter(thread__dossier=dossier))
    assert len(messages) == 2 and "14 jours" in messages[0].body and "2 jours" in messages[1].body
    assert [m.subject for m in mailoutbox] == ["Du nouveau sur le portail"] * 2
    assert dossier.number not in mailoutbox[0].body and "Valdero" not in mailoutbox[0].body
    assert services.purge_expired_drafts(today=today + timedelta(days=14)) == 0
    assert services.purge_expired_drafts(today=today + timedelta(days=15)) == 1
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert not Message.objects.exists()
    tombstone = AuditEvent.objects.get(action="dossier.draft_purged")
    assert tombstone.details["number"] == dossier.number
    assert "Valdero" not in str(tombstone.details) and "Maria" not in str(tombstone.details)


def test_submitted_dossiers_are_never_purged() -> None:
    dossier = submitted()
    assert services.purge_expired_drafts(today=dossier.deadline + timedelta(days=30)) == 0


def test_meetings_with_the_agent_are_reminded_once_48_hours_before(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    dossier = submitted()
    aai = agent()
    now = timezone.now()
    soon = casework.schedule_appointment(
        dossier=dossier,
        starts_at=now + timedelta(hours=47),
        mode="virtual",
        place=None,
        details="",
        actor=aai,
    )
    casework.schedule_appointment(
        dossier=dossier,
        starts_at=now + timedelta(days=5),
        mode="virtual",
        place=None,
        details="",
        actor=aai,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert casework.remind_agent_appointments(now=now) == 1
        assert casework.remind_agent_appointments(now=now) == 0
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None
    reminder = Message.objects.filter(thread__dossier=dossier).last()
    assert reminder.body.startswith("Rappel")
    assert [m.subject for m in mailoutbox] == ["Du nouveau sur le portail"]
