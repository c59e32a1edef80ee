from typing import Any

import pytest
from django.core.management import call_command

from guichet.core.email import deliver_email

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE: dict[str, Any] = {"to": ["client@example.org"], "subject": "Sujet", "text": "Corps"}


def test_tasks_run_immediately_in_the_embedded_default(mailoutbox) -> None:
    result = deliver_email.enqueue(**MESSAGE)
    assert result.status == "SUCCESSFUL"
    assert [m.subject for m in mailoutbox] == ["Sujet"]


def test_the_database_backend_queues_tasks_for_the_worker(settings, mailoutbox) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = deliver_email.enqueue(**MESSAGE)
    assert result.status == "READY"
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert [m.subject for m in mailoutbox] == ["Sujet"]
