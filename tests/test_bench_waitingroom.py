"""The waiting room's benchmark, short version (`make bench-waitingroom` runs the full one):
a small opening over HTTP, with gunicorn, the controller, PostgreSQL and Redis, keeps every
invariant the full one reports. Speed figures are not checked here (bench/README.md)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.postgres
@pytest.mark.redis
def test_a_short_opening_keeps_the_quota_the_order_and_answers_without_error() -> None:
    database = urlsplit(os.environ["DATABASE_URL"])
    bench_database = urlunsplit(database._replace(path=database.path + "_bench_short"))
    redis = urlsplit(os.environ["REDIS_URL"])
    bench_redis = urlunsplit(redis._replace(path="/11"))
    run = subprocess.run(
        [
            sys.executable,
            "bench/bench_waitingroom.py",
            "--short",
            "--database",
            bench_database,
            "--redis",
            bench_redis,
            "--port",
            str(_free_port()),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert run.returncode == 0 and lines, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    assert result["tickets"] == 1500
    assert result["errors_5xx"] == 0
    assert result["submitted"] == result["quota"] == 150
    assert result["admitted_then_refused"] == 0
    assert result["fifo_inversions"] == 0
    assert result["stall_seconds"] <= 120
    assert result["lottery_chi2_p"] > 0.001
