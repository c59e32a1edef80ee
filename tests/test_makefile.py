"""`make run` itself: what a person starting the demo gets."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_emails_link_to_the_port_the_demo_is_served_on() -> None:
    """Issue 13 #5: `PORT=8101 make run` sent emails whose links pointed at port 8000."""
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin"},
    ).stdout
    serve = next(line for line in dry_run.splitlines() if "runserver" in line)
    assert "127.0.0.1:8101" in serve and "http://127.0.0.1:8101" in serve
