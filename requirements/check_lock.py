"""Checks that the lock file installs on any machine: plain `name==version` lines from the
package registry, and every direct dependency of pyproject.toml pinned there at the same version.

Standard library only, so that `.ci/run` and `make lock` run it before anything is installed:
`python3.11 requirements/check_lock.py`. tests/test_lock.py runs the same checks in the suite.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "constraints.txt"
PYPROJECT = ROOT / "pyproject.toml"

# PEP 508 name, then `==` and a PEP 440 version made of the characters versions use; nothing
# else on the line (no URL, no `@`, no path, no hash, no environment marker, no option).
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==(?P<version>[0-9][0-9A-Za-z.+!-]*)$"
)
REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:\[[^\]]*\])?\s*==\s*(?P<version>\S+)$"
)


def canonical(name: str) -> str:
    """PEP 503 normalised name: `Django`, `django_countries` and `django.countries` are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_problems(text: str) -> list[str]:
    """Every line of the lock that is not a bare `name==version` pin, with its number."""
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not PIN.match(line):
            problems.append(f"line {number}: {line!r} is not a name==version pin")
    return problems


def pinned(text: str) -> dict[str, str]:
    pins = {}
    for raw in text.splitlines():
        match = PIN.match(raw.strip())
        if match:
            pins[canonical(match["name"])] = match["version"]
    return pins


def direct_dependencies() -> dict[str, str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    direct = {}
    for requirement in requirements:
        match = REQUIREMENT.match(requirement.strip())
        assert match, f"pyproject.toml: {requirement!r} is not pinned as name==version"
        direct[canonical(match["name"])] = match["version"]
    return direct


def dependency_problems(lock_text: str) -> list[str]:
    pins = pinned(lock_text)
    problems = []
    for name, version in sorted(direct_dependencies().items()):
        if name not in pins:
            problems.append(f"{name}=={version} (pyproject.toml) is missing from the lock")
        elif pins[name] != version:
            problems.append(f"{name}: pyproject.toml pins {version}, the lock {pins[name]}")
    return problems


def main() -> int:
    """Print each problem; exit 1 if there is one."""
    text = LOCK.read_text(encoding="utf-8")
    problems = lock_problems(text) + dependency_problems(text)
    for problem in problems:
        print(f"{LOCK.relative_to(ROOT)}: {problem}")
    if not problems:
        count = len(pinned(text))
        print(f"{LOCK.relative_to(ROOT)}: {count} pins, all name==version from the registry")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
