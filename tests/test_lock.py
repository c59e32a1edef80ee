"""The lock file installs on any machine (requirements/check_lock.py holds the checks).

A `name @ file:///tmp/…` line once made every fresh clone fail at `make run` while CI stayed
green on the machine that still had the wheel; these tests fail first instead.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "requirements" / "check_lock.py"
_spec = importlib.util.spec_from_file_location("check_lock", _PATH)
assert _spec and _spec.loader
check_lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_lock)

LOCK = check_lock.LOCK
canonical = check_lock.canonical
lock_problems = check_lock.lock_problems
dependency_problems = check_lock.dependency_problems


def test_the_lock_holds_only_name_version_pins() -> None:
    assert lock_problems(LOCK.read_text(encoding="utf-8")) == []


def test_every_direct_dependency_is_locked_at_its_pinned_version() -> None:
    assert dependency_problems(LOCK.read_text(encoding="utf-8")) == []


def test_the_lock_is_not_empty_and_has_no_duplicate_names() -> None:
    lines = [ln.strip() for ln in LOCK.read_text(encoding="utf-8").splitlines() if ln.strip()]
    names = [canonical(ln.split("==")[0]) for ln in lines]
    assert len(names) > 20
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "line",
    [
        "django-countries @ file:///tmp/dl/django_countries-9.1.0-py3-none-any.whl#sha256=18c9",
        "django-countries @ https://example.org/django_countries-9.1.0.tar.gz",
        "git+https://example.org/django-countries.git@v9.1.0#egg=django-countries",
        "-e /work/django-countries",
        "--editable ./vendor/django-countries",
        "/tmp/dl/django_countries-9.1.0-py3-none-any.whl",
        "./vendor/django_countries-9.1.0-py3-none-any.whl",
        "django-countries>=9.1.0",
        "django-countries",
        "django-countries==9.1.0 ; python_version >= '3.11'",
        "--find-links /tmp/dl",
        "--index-url https://mirror.example.org/simple",
    ],
)
def test_it_rejects_anything_but_a_registry_pin(line: str) -> None:
    assert lock_problems(f"Django==5.2.19\n{line}\n") != []


def test_it_reports_a_direct_dependency_missing_or_pinned_to_another_version() -> None:
    full = LOCK.read_text(encoding="utf-8")
    without = "\n".join(
        ln for ln in full.splitlines() if not ln.lower().startswith("django-countries")
    )
    assert any("django-countries" in p and "missing" in p for p in dependency_problems(without))
    other = full.replace("django-countries==9.1.0", "django-countries==9.0.0")
    assert any("django-countries" in p and "9.0.0" in p for p in dependency_problems(other))
