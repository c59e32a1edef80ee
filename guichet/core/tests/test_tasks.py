import json
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from guichet.accounts.services import deliver_temporary_password, send_temporary_password
from guichet.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_tasks_run_immediately_in_the_embedded_default(mailoutbox: Any) -> None:
    user = UserFactory.create()
    result = deliver_temporary_password.enqueue(user_id=user.pk)
    assert result.status == "SUCCESSFUL"
    assert [m.subject for m in mailoutbox] == ["Votre mot de passe temporaire"]


def test_the_database_backend_queues_tasks_for_the_worker(settings: Any, mailoutbox: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory.create()
    result = deliver_temporary_password.enqueue(user_id=user.pk)
    assert result.status == "READY"
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert [m.subject for m in mailoutbox] == ["Votre mot de passe temporaire"]


def test_no_secret_is_ever_stored_as_a_task_argument(settings: Any, mailoutbox: Any) -> None:
    """Security finding 7: with the database backend the task table held whole messages, so
    temporary passwords, authorization codes and user codes were readable there and in the
    admin. Tasks now receive ids; the worker makes or looks up the secret."""
    import re

    from guichet.clients.authorization import request_authorization_code
    from guichet.clients.services import Identity, send_user_code_reminder
    from guichet.clients.tests.factories import ClientFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory.create(username="SecretUser01")
    send_temporary_password(actor=user)
    person = ClientFactory.create(user=UserFactory.create(username="RappelCode01"))
    send_user_code_reminder(
        identity=Identity(
            last_name=person.last_name,
            first_name=person.first_name,
            birth_date=person.birth_date,
            sex=person.sex,
            client_number=person.client_number,
        )
    )
    request_authorization_code(client=ClientFactory.create(user=None), actor=None)
    stored = json.dumps([r.args_kwargs for r in DBTaskResult.objects.all()])
    assert DBTaskResult.objects.count() == 3
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    bodies = [m.body for m in mailoutbox]
    assert len(bodies) == 3
    password = re.search(r"Mot de passe temporaire : (\S+)", bodies[0])
    code = re.search(r"Code d'autorisation : (\S+)", "".join(bodies))
    assert password and code and "RappelCode01" in "".join(bodies)
    for secret in (password.group(1), code.group(1), "RappelCode01", "SecretUser01"):
        assert secret not in stored
    stored_after = json.dumps([[r.args_kwargs, r.return_value] for r in DBTaskResult.objects.all()])
    assert password.group(1) not in stored_after and code.group(1) not in stored_after


def test_the_task_result_admin_shows_no_arguments(client: Any, users: Any) -> None:
    from django.urls import reverse

    from guichet.accounts.models import Role

    user = UserFactory.create()
    client.force_login(users[Role.ADMIN])
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"user_id": user.pk, "text": "MOTSECRET"}},
        task_path="guichet.accounts.services.deliver_temporary_password",
        backend_name="default",
        run_after="9999-01-01T00:00:00Z",
        return_value="RETOURSECRET",
    )
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "MOTSECRET" not in html and "RETOURSECRET" not in html


# --- At least once (issue 33) -------------------------------------------------------------------


def _finished_at(task_id: Any) -> Any:
    finished = DBTaskResult.objects.get(pk=task_id).finished_at
    assert finished is not None
    return finished


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_a_task_whose_worker_died_is_taken_again_and_sends_once(
    settings: Any, mailoutbox: Any
) -> None:
    """A worker killed during a task left it RUNNING for ever. After TASK_RECLAIM_SECONDS it is
    ready again; the run that follows sends nothing the dead one had sent, and makes no second
    temporary password."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks.base import TaskResultStatus

    from guichet.accounts.models import TemporaryPassword
    from guichet.core import tasks
    from guichet.core.models import SentEmail

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory.create()
    result = deliver_temporary_password.enqueue(user_id=user.pk)
    _worker()
    assert len(mailoutbox) == 1 and SentEmail.objects.count() == 1
    first = TemporaryPassword.objects.get(user=user).password_hash
    # The worker died after sending, before it could record the success.
    started = timezone.now() - timedelta(seconds=settings.TASK_RECLAIM_SECONDS + 1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=started, finished_at=None
    )
    assert tasks.reclaim() == 1
    assert tasks.reclaim() == 0
    _worker()
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert len(mailoutbox) == 1  # not sent twice
    assert TemporaryPassword.objects.get(user=user).password_hash == first  # the one sent holds


def test_a_failed_send_is_retried_with_a_growing_wait_then_given_up(
    settings: Any, mailoutbox: Any, monkeypatch: Any
) -> None:
    from datetime import timedelta

    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone

    from guichet.accounts.services import deliver_email_verification
    from guichet.core import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_MAX_ATTEMPTS = 3
    real_send = EmailMultiAlternatives.send
    down = {"on": True}

    def send(self: Any, *args: Any, **kwargs: Any) -> int:
        if down["on"]:
            raise ConnectionRefusedError("the mail server is down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    user = UserFactory.create(email_verified_at=None)
    result = deliver_email_verification.enqueue(user_id=user.pk)
    _worker()
    result.refresh()
    assert result.status == "FAILED" and mailoutbox == []
    failed_at = _finished_at(result.id)
    assert tasks.backoff(1) == timedelta(seconds=30) and tasks.backoff(3) == timedelta(minutes=2)
    assert tasks.retry_failed(now=failed_at + timedelta(seconds=29)) == 0  # not yet
    assert tasks.retry_failed(now=failed_at + timedelta(seconds=31)) == 1
    _worker()  # still down: the second attempt fails too
    failed_at = _finished_at(result.id)
    assert tasks.retry_failed(now=failed_at + timedelta(seconds=59)) == 0
    down["on"] = False
    assert tasks.retry_failed(now=failed_at + timedelta(seconds=61)) == 1
    _worker()
    result.refresh()
    assert result.status == "SUCCESSFUL" and len(mailoutbox) == 1
    # A task that keeps failing is given up after TASK_MAX_ATTEMPTS attempts.
    down["on"] = True
    again = deliver_email_verification.enqueue(user_id=UserFactory.create().pk)
    for _attempt in range(3):
        _worker()
        tasks.retry_failed(now=timezone.now() + timedelta(hours=2))
    stored = DBTaskResult.objects.get(pk=again.id)
    assert stored.status == "FAILED" and len(stored.worker_ids) == 3


def test_each_worker_recovers_tasks_beside_its_loop(settings: Any) -> None:
    """`run_worker` runs the recovery in a thread of its own, every TASK_RECOVERY_SECONDS."""
    import threading
    import time
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks.base import TaskResultStatus

    from guichet.core.management.commands.run_worker import _recovering

    settings.TASK_RECOVERY_SECONDS = 0.05
    user = UserFactory.create()
    stuck = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"user_id": user.pk}},
        task_path="guichet.accounts.services.deliver_temporary_password",
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=["dead"],
    )
    stop = threading.Event()
    thread = threading.Thread(target=_recovering, args=(stop,), daemon=True)
    thread.start()
    try:
        for _wait in range(100):
            stuck.refresh_from_db()
            if stuck.status == TaskResultStatus.READY:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert stuck.status == TaskResultStatus.READY
    assert not thread.is_alive()
