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
