"""The waiting room at an intake opening, over HTTP on this machine (issue 18; seed 002).

    make bench-waitingroom
    # short version (the suite runs it): .venv/bin/python bench/bench_waitingroom.py --short

PostgreSQL (the record), Redis (the queue's live copy and the polls), gunicorn with the
production settings (gthread workers, kept-alive connections), the waiting room's controller
(`manage.py run_waiting_room --loop`) and the load generator (aiohttp, asyncio: about 0.2 ms of
CPU per request, a quarter of what the server spends on the smallest view) all share this
machine's two cores. In a throw-away database:

1. Seeds the candidates: verified client accounts, each with a signed-in session (the session
   row is written directly, so the benchmark measures the room, not the sign-in), a CSQ draft
   application, and an address of its own (the generator plays the proxy: X-Forwarded-For with
   TRUSTED_PROXY_COUNT=1). A FIFO period with a waiting room, its quota and capacity.
2. **baseline**: the same generator against `/livez`, the smallest Django view, through the
   same middleware and server: the ceiling of this stack on this machine.
3. **join**: every candidate posts « Se connecter » once: tickets issued per second, p99, errors.
4. **poll**: the candidates wait for the officer's click; the controller has published the
   room to Redis. Polls as the page's script sends them (no cookie, the page's pass in a
   header), for random candidates, as fast as the server answers: polls per second, p99;
   `poll_ratio` = poll / baseline.
5. **opening**: every candidate polls at the delay each answer gives (4 to 60 s) — the real
   load of an opening; once each has polled, the officer opens the room. When
   their turn comes, most submit after a few seconds (the quota's `take_place` after the
   intake's check, as the submission does: a live reservation is needed while the period has a
   waiting room); a few close the page before their turn and never come back (skipped;
   admitted while still counted as there, their place goes back within 2 minutes). When the
   room closes, some try to submit all the same.
   Measured: `submitted` (exactly the quota), `admitted_then_refused` (must be 0),
   `fifo_inversions` (admissions out of queue order, must be 0), `stall_seconds` (the longest
   time the front did not move while places and sign-in capacity were free, sampled every
   0.5 s), and the server errors of every phase (`errors_5xx`).
6. **lottery**: a pre-queue of N candidates is drawn by the controller's own code; the
   contingency table of arrival decile by drawn decile gives a chi-square test of independence
   (`lottery_chi2_p`; Wilson-Hilferty's approximation of the chi-square law, df = 81).

Ends with one line `RESULT {json}`. Results and what limits each figure: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import production_environment, recreate_database  # noqa: E402

CSRF = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
ROOM_URL = "/fr/mon-projet-quebec/salle-attente/"
POLL_URL = "/fr/mon-projet-quebec/salle-attente/position/"
ABANDON = 0.03  # close the page before their turn and never come back
LATE_TRIERS = 0.1  # of those told the room is closed, try to submit all the same

FULL = {"tickets": 40_000, "quota": 5_000, "capacity": 500, "polls": 60_000, "lottery": 10_000}
# The suite's version: everyone stays (no two-minute wait for the places of those who left;
# the unit tests cover that), so it runs in about a minute.
SHORT = {"tickets": 1_500, "quota": 150, "capacity": 50, "polls": 3_000, "lottery": 2_000}


def environment(database: str, redis_url: str, port: int) -> dict[str, str]:
    return production_environment(
        database,
        port,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX="bench-wr",
        TRUSTED_PROXY_COUNT="1",
        # The controller runs as its own process, as in production.
        WAITING_ROOM_ADMIT_ON_POLL="false",
    )


def empty_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


# --- Data ----------------------------------------------------------------------------------------


def seed(size: dict[str, int]) -> dict[str, Any]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from guichet.accounts.models import Role, SecurityAnswer, User
    from guichet.demo.intake_data import example_application
    from guichet.dossiers.models import Dossier
    from guichet.intake import eligibility
    from guichet.intake.identity import keys_of
    from guichet.intake.kinds.csq import kind as csq
    from guichet.intake.models import Allocation, Application, IntakePeriod
    from guichet.waitingroom import services
    from guichet.waitingroom.models import Room

    count = size["tickets"]
    users = User.objects.bulk_create(
        (
            User(
                username=f"attente{n:06d}",
                email=f"attente{n:06d}@example.org",
                email_verified_at=timezone.now(),  # only confirmed addresses get a number
                role=Role.CLIENT,
                password="!bench",  # noqa: S106 — unusable: the sessions are written directly
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    SecurityAnswer.objects.bulk_create(
        (
            SecurityAnswer(user=user, position=1, question="first_pet", answer_hash="!bench")
            for user in users
        ),
        batch_size=5000,
    )
    deadline = date.today() + timedelta(days=90)

    # Complete applications (only an account that can submit now gets a number and a place),
    # each its own person: the demo's example with a distinct passport and family name.
    def letters(n: int) -> str:
        return "".join(chr(65 + (n // 26**k) % 26) for k in range(4))

    dossiers = Dossier.objects.bulk_create(
        (
            Dossier(
                number=f"B{n:08d}",
                number_prefix="B",
                number_digits=8,
                kind=csq.CODE,
                owner=user,
                deadline=deadline,
                data=example_application(passport=f"B{n:08d}", last_name=f"Attente{letters(n)}"),
            )
            for n, user in enumerate(users)
        ),
        batch_size=5000,
    )
    first = dossiers[0]
    if not eligibility.queue_ready(first):
        raise SystemExit("the seeded applications are not complete: fix bench_waitingroom.seed")
    applications = Application.objects.bulk_create(
        (
            Application(
                dossier=dossier,
                queue_ready=True,
                identity_key=keys_of(dossier.data["requerant"]).exact,
            )
            for dossier in dossiers
        ),
        batch_size=5000,
    )
    expires = timezone.now() + timedelta(hours=6)
    sessions, cookies = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = SessionStore().encode(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        sessions.append(Session(session_key=key, session_data=data, expire_date=expires))
        cookies.append(key)
    Session.objects.bulk_create(sessions, batch_size=5000)
    now = timezone.now()
    period = IntakePeriod.objects.create(
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        quota=size["quota"],
        allocation=Allocation.FIFO,
        waiting_room=True,
    )
    room = services.room_of(period)
    Room.objects.filter(pk=room.pk).update(capacity=size["capacity"])
    return {
        "period": period.pk,
        "users": [user.pk for user in users],
        "cookies": cookies,
        "applications": {app.dossier.owner_id: app.pk for app in applications},
    }


class Cpu:
    """CPU seconds used by each kind of process on this machine (Linux /proc): what limits a
    figure. `since()` gives the seconds used since the last call, per kind."""

    KINDS = ("gunicorn", "controller", "postgres", "redis", "generator")

    def __init__(self) -> None:
        self.tick = os.sysconf("SC_CLK_TCK")
        self.last = self.read()

    def kind(self, pid: int, command: str) -> str | None:
        if pid == os.getpid():
            return "generator"
        if "gunicorn" in command:
            return "gunicorn"
        if "run_waiting_room" in command:
            return "controller"
        if command.startswith("postgres"):
            return "postgres"
        if command.startswith("redis-server"):
            return "redis"
        return None

    def read(self) -> dict[str, float]:
        used = dict.fromkeys(self.KINDS, 0.0)
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    command = handle.read().replace(b"\0", b" ").decode(errors="replace")
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kind = self.kind(int(entry), command)
            if kind is not None:
                # Its own time and its reaped children's (PostgreSQL's ended backends).
                used[kind] += sum(int(value) for value in fields[11:15]) / self.tick
        return used

    def since(self) -> dict[str, float]:
        now = self.read()
        spent = {kind: max(0.0, now[kind] - self.last[kind]) for kind in self.KINDS}
        self.last = now
        return spent

    @staticmethod
    def describe(spent: dict[str, float], seconds: float, requests: int) -> str:
        parts = [
            f"{kind} {used / seconds:.2f} core ({used / max(requests, 1) * 1000:.2f} ms/req)"
            for kind, used in spent.items()
        ]
        return "cpu: " + ", ".join(parts)


def candidate_address(index: int) -> str:
    return f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[q - 1]


# --- Load ----------------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors = 0  # transport errors (refused connection, time-out)

    def add(self, status: int, seconds: float) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500) + self.errors


async def hammer(
    base: str, requests: list[dict[str, Any]], concurrency: int
) -> tuple[Tally, float]:
    """Send every request, `concurrency` at a time (kept-alive connections), as fast as the
    server answers."""
    import aiohttp

    tally = Tally()
    pending = iter(requests)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:

        async def worker() -> None:
            for request in pending:
                started = time.perf_counter()
                try:
                    async with http.request(**request, allow_redirects=False) as response:
                        await response.read()
                except (aiohttp.ClientError, TimeoutError):
                    tally.errors += 1
                    continue
                tally.add(response.status, time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return tally, elapsed


def passes(data: dict[str, Any]) -> dict[int, str]:
    """The pass each candidate's page would give its script."""
    from guichet.waitingroom.models import Ticket
    from guichet.waitingroom.views import poll_pass

    tickets = Ticket.objects.filter(room_id=data["period"]).select_related("room")
    return {ticket.user_id: poll_pass(ticket) for ticket in tickets}


class Opening:
    """Every candidate polls at the delay each answer gives and submits when their turn comes."""

    def __init__(
        self,
        base: str,
        data: dict[str, Any],
        pass_of: dict[int, str],
        abandon: float,
        seed: int = 3,
    ):
        self.abandon = abandon
        self.base = base
        self.data = data
        self.pass_of = pass_of
        self.rng = random.Random(seed)
        self.polls = Tally()
        self.submitted = 0
        self.admitted_then_refused = 0
        self.late_refused = 0
        self.late_accepted = 0
        self.abandoned = 0
        self.submit_attempts = 0
        self.first_polls = 0
        self.done = asyncio.Event()
        self.executor = ThreadPoolExecutor(max_workers=4)

    def submit(self, user_id: int) -> str:
        """What « Soumettre » does to the quota: the intake's check (a live reservation while
        the period has a waiting room), then `take_place` in the submission's transaction."""
        from django.db import connection, transaction

        from guichet.accounts.models import User
        from guichet.core.refusals import Refused
        from guichet.intake import quota
        from guichet.intake.models import Application, IntakePeriod

        try:
            with transaction.atomic():
                period = IntakePeriod.objects.get(pk=self.data["period"])
                user = User(pk=user_id)
                if quota.active_reservation(period=period, user=user) is None:
                    raise quota.quota_reached() if period.is_full else Refused("waiting_room")
                application = Application.objects.select_related("dossier").get(
                    pk=self.data["applications"][user_id]
                )
                quota.take_place(period=period, user=user, application=application)
            return "accepted"
        except Refused:
            return "refused"
        finally:
            connection.close_if_unusable_or_obsolete()

    async def candidate(self, http: Any, index: int, user_id: int, limit: asyncio.Semaphore):
        import aiohttp

        headers = {
            "X-Guichet-Pass": self.pass_of[user_id],
            "X-Forwarded-For": candidate_address(index),
            "Accept": "application/json",
        }
        await asyncio.sleep(self.rng.uniform(0, 10))  # the pages were loaded over some seconds
        loop = asyncio.get_running_loop()
        # A few close the page before their turn and never come back: skipped, not waited for.
        leaves_after = self.rng.randint(1, 3) if self.rng.random() < self.abandon else None
        asked = 0
        while not self.done.is_set():
            if leaves_after is not None and asked >= leaves_after:
                self.abandoned += 1
                return
            asked += 1
            try:
                async with limit:
                    started = time.perf_counter()  # the server's time, not the generator's queue
                    async with http.get(POLL_URL, headers=headers) as response:
                        answer = await response.json() if response.status == 200 else None
            except (aiohttp.ClientError, TimeoutError):
                self.polls.errors += 1
                await asyncio.sleep(5)
                continue
            self.polls.add(response.status, time.perf_counter() - started)
            if asked == 1:
                self.first_polls += 1
            if answer is None:
                await asyncio.sleep(5)
                continue
            status = answer["status"]
            if status == "admitted":
                await asyncio.sleep(self.rng.uniform(1, 5))  # sign in, answer, submit
                self.submit_attempts += 1
                outcome = await loop.run_in_executor(self.executor, self.submit, user_id)
                if outcome == "accepted":
                    self.submitted += 1
                else:
                    self.admitted_then_refused += 1
                return
            if status in ("closed", "expired") or answer.get("room") == "closed":
                if self.rng.random() < LATE_TRIERS:
                    self.submit_attempts += 1
                    outcome = await loop.run_in_executor(self.executor, self.submit, user_id)
                    if outcome == "accepted":
                        self.late_accepted += 1
                    else:
                        self.late_refused += 1
                return
            await asyncio.sleep(float(answer.get("poll") or 10))

    async def run(self, timeout: float, *, open_after: float, open_room: Any) -> float:
        import aiohttp

        loop = asyncio.get_running_loop()

        def later() -> None:
            # Each candidate's page has polled at least once (they have been in the room since
            # they joined; the generator needs a while to start 40 000 of them).
            began = time.monotonic()
            while self.first_polls < len(self.data["users"]) and time.monotonic() - began < 300:
                time.sleep(0.5)
            time.sleep(open_after)
            open_room()

        opened = loop.run_in_executor(None, later)

        limit = asyncio.Semaphore(64)
        connector = aiohttp.TCPConnector(limit=64)
        began = time.perf_counter()
        async with aiohttp.ClientSession(
            self.base, connector=connector, timeout=aiohttp.ClientTimeout(total=60)
        ) as http:
            tasks = [
                asyncio.create_task(self.candidate(http, index, user_id, limit))
                for index, user_id in enumerate(self.data["users"])
            ]
            try:
                await asyncio.wait_for(asyncio.gather(*tasks), timeout=timeout)
            except TimeoutError:
                self.done.set()
                for task in tasks:
                    task.cancel()
        await opened
        self.executor.shutdown(wait=True)
        return time.perf_counter() - began


class Watch(threading.Thread):
    """Samples the record every half second: how long the front of the queue stood still while
    places and sign-in capacity were free."""

    def __init__(self, period_id: int) -> None:
        super().__init__(daemon=True)
        self.period_id = period_id
        self.stop = threading.Event()
        self.longest = 0.0

    def run(self) -> None:
        from django.db import connection
        from django.db.models import Max

        from guichet.intake.models import IntakePeriod
        from guichet.waitingroom.models import Room, RoomStatus, Ticket, TicketStatus

        still_since: float | None = None
        last_front = None
        while not self.stop.is_set():
            period = IntakePeriod.objects.get(pk=self.period_id)
            room = Room.objects.get(pk=self.period_id)
            tickets = Ticket.objects.filter(room_id=self.period_id)
            front = tickets.exclude(admitted_at=None).aggregate(Max("number"))["number__max"]
            in_window = tickets.filter(status=TicketStatus.ADMITTED).count()
            waiting = tickets.filter(status=TicketStatus.WAITING).exists()
            free = (
                room.status == RoomStatus.OPEN
                and waiting
                and period.quota - period.taken - period.reserved > 0
                and in_window < room.capacity
            )
            now = time.monotonic()
            if free and front == last_front:
                still_since = still_since or now
                self.longest = max(self.longest, now - still_since)
            else:
                still_since = None
            last_front = front
            if room.status == RoomStatus.CLOSED:
                break
            self.stop.wait(0.5)
        connection.close()


def fifo_inversions(period_id: int) -> int:
    """Admissions out of queue order: a number admitted after a larger one, counting each
    number's first admission (a candidate who stopped polling is skipped, by design: the
    benchmark's candidates never stop before their turn)."""
    from guichet.waitingroom.models import EventKind, RoomEvent

    seen: set[int] = set()
    highest, inversions = 0, 0
    for rank in (
        RoomEvent.objects.filter(room_id=period_id, kind=EventKind.ADMIT, rank__isnull=False)
        .order_by("pk")
        .values_list("rank", flat=True)
    ):
        assert rank is not None
        if rank in seen:
            continue
        seen.add(rank)
        if rank < highest:
            inversions += 1
        highest = max(highest, rank)
    return inversions


def lottery(n: int) -> float:
    """Draw a pre-queue of `n` with the controller's code; chi-square test of independence
    between arrival decile and drawn decile."""
    from django.utils import timezone

    from guichet.accounts.models import Role, User
    from guichet.intake.models import Allocation, IntakePeriod
    from guichet.waitingroom import services
    from guichet.waitingroom.models import Room, Ticket

    now = timezone.now()
    users = User.objects.bulk_create(
        (
            User(username=f"tirage{k:06d}", role=Role.CLIENT, password="!bench")  # noqa: S106
            for k in range(n)
        ),
        batch_size=5000,
    )
    period = IntakePeriod.objects.create(
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        quota=100,
        allocation=Allocation.LOTTERY,
        waiting_room=True,
    )
    room = services.room_of(period)
    Ticket.objects.bulk_create(
        (
            Ticket(room=room, user=user, number=k, joined_at=now, last_seen_at=now)
            for k, user in enumerate(users, start=1)
        ),
        batch_size=5000,
    )
    Room.objects.filter(pk=room.pk).update(status="paused")  # drawn, nobody admitted
    began = time.perf_counter()
    services.admit(period=period)
    drawn_in = time.perf_counter() - began
    ranks: dict[int, int] = dict(
        Ticket.objects.filter(room=room).values_list("number", "rank")  # type: ignore[arg-type]
    )
    bins = 10
    table = [[0] * bins for _ in range(bins)]
    for number, rank in ranks.items():
        table[(number - 1) * bins // n][(rank - 1) * bins // n] += 1
    expected = n / bins / bins
    chi2 = sum((cell - expected) ** 2 / expected for row in table for cell in row)
    df = (bins - 1) ** 2
    # Wilson-Hilferty: (chi2/df)^(1/3) is close to normal, mean 1 - 2/(9 df), var 2/(9 df).
    z = ((chi2 / df) ** (1 / 3) - (1 - 2 / (9 * df))) / (2 / (9 * df)) ** 0.5
    p = 1 - statistics.NormalDist().cdf(z)
    print(f"lottery: {n} drawn in {drawn_in:.1f} s; chi2 = {chi2:.1f}, df = {df}, p = {p:.3f}")
    return p


# --- Run -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench_wr"
        ),
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--short", action="store_true", help="a small opening (the test suite)")
    parser.add_argument("--timeout", type=float, default=900, help="the opening's limit, s")
    args = parser.parse_args()
    size = dict(SHORT if args.short else FULL)
    env = environment(args.database, args.redis, args.port)
    os.environ.update(env)

    recreate_database(args.database)
    empty_redis(args.redis)
    python = sys.executable
    for command in (["migrate"], ["createcachetable"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [python, "manage.py", *command, "--verbosity", "0"], cwd=ROOT, env=env, check=True
        )
    import django

    django.setup()
    from django.db import connection

    began = time.perf_counter()
    data = seed(size)
    print(f"seeded {size['tickets']} candidates in {time.perf_counter() - began:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()

    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread" if args.threads > 1 else "sync",
            "--keep-alive",
            "30",
            "--backlog",
            "4096",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    controller = subprocess.Popen(
        [python, "manage.py", "run_waiting_room", "--loop", "--every", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    result: dict[str, Any] = {}
    errors_5xx = 0
    try:
        import httpx

        for _ in range(100):
            try:
                httpx.get(base + "/livez", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        print(f"gunicorn: {args.workers} workers x {args.threads} threads; controller every 1 s")

        cpu = Cpu()
        # 2. The ceiling of this stack.
        cpu.since()
        tally, seconds = asyncio.run(
            hammer(
                base,
                [{"method": "GET", "url": "/livez"}] * size["polls"],
                args.concurrency,
            )
        )
        baseline = len(tally.latencies) / seconds
        errors_5xx += tally.server_errors
        print(
            f"baseline: {len(tally.latencies)} requests to /livez in {seconds:.1f} s -> "
            f"{baseline:.0f}/s, p99 {percentile(tally.latencies, 99) * 1000:.0f} ms"
        )
        print("  " + Cpu.describe(cpu.since(), seconds, len(tally.latencies)))

        # 3. Everyone joins.
        joins = [
            {
                "method": "POST",
                "url": ROOM_URL,
                "data": {"csrfmiddlewaretoken": CSRF},
                "headers": {
                    "Cookie": f"sessionid={cookie}; csrftoken={CSRF}",
                    "X-Forwarded-For": candidate_address(index),
                    "Referer": base + ROOM_URL,
                },
            }
            for index, cookie in enumerate(data["cookies"])
        ]
        cpu.since()
        tally, seconds = asyncio.run(hammer(base, joins, args.concurrency))
        spent = cpu.since()
        from guichet.waitingroom.models import Ticket

        tickets = Ticket.objects.filter(room_id=data["period"]).count()
        errors_5xx += tally.server_errors
        result.update(
            join_per_s=round(tickets / seconds, 1),
            join_p99_ms=round(percentile(tally.latencies, 99) * 1000, 1),
            tickets=tickets,
        )
        print(
            f"join: {len(joins)} « Se connecter » in {seconds:.1f} s -> {tickets} tickets, "
            f"{result['join_per_s']}/s, p50 {percentile(tally.latencies, 50) * 1000:.0f} ms, "
            f"p99 {result['join_p99_ms']} ms; statuses {tally.statuses}"
        )
        print("  " + Cpu.describe(spent, seconds, len(tally.latencies)))

        # 4. The candidates wait for the officer's click; Redis holds the room (the controller
        # publishes a room whose candidates may join); polls as fast as they are served.
        from guichet.accounts.models import Role, User
        from guichet.intake.models import IntakePeriod
        from guichet.waitingroom import live, services
        from guichet.waitingroom.models import Room

        officer = User.objects.create(username="agent-reception", role=Role.MINISTRY_STAFF)
        period = IntakePeriod.objects.get(pk=data["period"])
        room = Room.objects.get(pk=period.pk)
        for _ in range(300):
            if live.is_published(room):
                break
            time.sleep(0.1)
        pass_of = passes(data)
        rng = random.Random(5)
        polls = [
            {
                "method": "GET",
                "url": POLL_URL,
                "headers": {
                    "X-Guichet-Pass": pass_of[user_id],
                    "X-Forwarded-For": candidate_address(index),
                    "Accept": "application/json",
                },
            }
            for index, user_id in (
                (i, data["users"][i])
                for i in (rng.randrange(len(data["users"])) for _ in range(size["polls"]))
            )
        ]
        cpu.since()
        tally, seconds = asyncio.run(hammer(base, polls, args.concurrency))
        spent = cpu.since()
        errors_5xx += tally.server_errors
        poll_rate = len(tally.latencies) / seconds
        result.update(
            poll_per_s=round(poll_rate, 1),
            poll_p99_ms=round(percentile(tally.latencies, 99) * 1000, 1),
            baseline_per_s=round(baseline, 1),
            poll_ratio=round(poll_rate / baseline, 3),
        )
        print(
            f"poll: {len(polls)} polls in {seconds:.1f} s -> {result['poll_per_s']}/s, "
            f"p50 {percentile(tally.latencies, 50) * 1000:.0f} ms, p99 {result['poll_p99_ms']} "
            f"ms; ratio to the baseline {result['poll_ratio']}; statuses {tally.statuses}"
        )
        print("  " + Cpu.describe(spent, seconds, len(tally.latencies)))

        # 5. The opening: every candidate polls; once each has polled (and five seconds more)
        # the officer opens the room.
        watch = Watch(period.pk)

        def open_room() -> None:
            services.change_room(actor=officer, period=period, action="open")
            watch.start()

        opening = Opening(base, data, pass_of, abandon=0.0 if args.short else ABANDON)
        cpu.since()
        seconds = asyncio.run(opening.run(args.timeout, open_after=5, open_room=open_room))
        spent = cpu.since()
        watch.stop.set()
        watch.join(timeout=5)
        errors_5xx += opening.polls.server_errors
        period.refresh_from_db()
        from guichet.intake.models import Place

        places = Place.objects.filter(period=period).count()
        result.update(
            quota=period.quota,
            submitted=places,
            admitted_then_refused=opening.admitted_then_refused,
            fifo_inversions=fifo_inversions(period.pk),
            stall_seconds=round(watch.longest, 1),
        )
        polls_seen = opening.polls.latencies
        print(
            f"opening: {seconds:.0f} s; {len(polls_seen)} polls "
            f"({len(polls_seen) / seconds:.0f}/s, p99 {percentile(polls_seen, 99) * 1000:.0f} "
            f"ms, statuses {opening.polls.statuses}); submit attempts {opening.submit_attempts}: "
            f"{opening.submitted} accepted in their window, {opening.admitted_then_refused} "
            f"admitted then refused, {opening.late_refused} refused after the closing "
            f"({opening.late_accepted} accepted), {opening.abandoned} left before their turn; "
            f"places taken {period.taken}/{period.quota}, places in the record {places}; room "
            f"{Room.objects.get(pk=period.pk).status}"
        )
        print("  " + Cpu.describe(spent, seconds, len(polls_seen)))
    finally:
        for process in (controller, server):
            process.send_signal(signal.SIGTERM)
        for process in (controller, server):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    # 6. The lottery's order.
    result["lottery_chi2_p"] = round(lottery(size["lottery"]), 4)
    result["errors_5xx"] = errors_5xx
    keys = [
        "join_per_s",
        "join_p99_ms",
        "poll_per_s",
        "poll_p99_ms",
        "baseline_per_s",
        "poll_ratio",
        "tickets",
        "errors_5xx",
        "quota",
        "submitted",
        "admitted_then_refused",
        "fifo_inversions",
        "stall_seconds",
        "lottery_chi2_p",
    ]
    print("RESULT " + json.dumps({key: result.get(key) for key in keys}))


if __name__ == "__main__":
    main()
