"""What the HTTP benchmarks share: the production settings they run gunicorn with, and a
throw-away PostgreSQL database."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def production_environment(database: str, port: int, **extra: str) -> dict[str, str]:
    """DEBUG off, persistent connections, emails queued for the worker; `extra` adds to it."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra,
    }


def recreate_database(database: str) -> None:
    """Drop and create the benchmark's database (its name is the URL's path)."""
    import psycopg

    url = urlparse(database)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
