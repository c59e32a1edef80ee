from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_payment_job_runs_with_nothing_to_settle() -> None:
    out = StringIO()
    call_command("run_payment_jobs", stdout=out)
    assert out.getvalue().split("\n")[:2] == [
        "payments: 0 attempt(s) settled",
        "payments: 0 pending refund(s) sent",
    ]
