"""Background tasks run at least once (issue 33). django-tasks-db runs each task at most once:
a worker killed during a task leaves it `RUNNING` for ever, and a task that failed (the mail
server down) stays `FAILED`. Here:

- `reclaim`: a task `RUNNING` for longer than TASK_RECLAIM_SECONDS (its worker died: our tasks
  render a PDF or send one email, in seconds) is made ready again;
- `retry_failed`: a task that failed is tried again after 30 s, 1, 2, 4… minutes (at most an
  hour apart), TASK_MAX_ATTEMPTS times in all;
- tasks are idempotent where they act outside the database: an email sent by a task is recorded
  (`SentEmail`, keyed by the task and the message), and the same task run again does not send it
  twice (`core.email`). What remains is the instant between the mail server's acceptance and the
  record, which no SMTP server lets anyone close.

`run_worker` runs both every TASK_RECOVERY_SECONDS beside the worker; `make jobs` runs them
once (`manage.py recover_tasks`)."""

from __future__ import annotations

import hashlib
import logging
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.models import DBTaskResult

from .models import SentEmail

logger = logging.getLogger(__name__)

# The task the current thread runs (set by the task signals): what an email is recorded against.
current_task: ContextVar[str | None] = ContextVar("current_task", default=None)


@receiver(task_started)
def _started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    current_task.set(str(task_result.id))


@receiver(task_finished)
def _finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    current_task.set(None)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try: 30 s after the first failure, then doubled, an hour at
    most."""
    return min(timedelta(seconds=30) * 2 ** max(attempts - 1, 0), timedelta(hours=1))


def reclaim(*, now: datetime | None = None) -> int:
    """Tasks whose worker died while running them are made ready again."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.TASK_RECLAIM_SECONDS)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale
    ).update(status=TaskResultStatus.READY, run_after=timezone.now())
    if count:
        logger.warning("tasks reclaimed from dead workers: %s", count)
    return int(count)


def retry_failed(*, now: datetime | None = None) -> int:
    """Failed tasks tried again, with a growing wait, until TASK_MAX_ATTEMPTS."""
    now = now or timezone.now()
    failed = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .only("id", "worker_ids", "finished_at")
        .order_by("finished_at")[:1000]
    )
    due = [
        task.pk
        for task in failed
        if len(task.worker_ids) < settings.TASK_MAX_ATTEMPTS
        and task.finished_at is not None
        and task.finished_at + backoff(len(task.worker_ids)) <= now
    ]
    if not due:
        return 0
    # Only those still failed (another recovery may have taken them meanwhile).
    return int(
        DBTaskResult.objects.filter(pk__in=due, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            finished_at=None,
            exception_class_path="",
            traceback="",
        )
    )


SENT_KEPT = timedelta(days=30)  # a task is not retried that long after


def recover(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    SentEmail.objects.filter(sent_at__lt=now - SENT_KEPT).delete()
    return {"reclaimed": reclaim(now=now), "retried": retry_failed(now=now)}


def sent_key(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
