"""Booking and search over HTTP: gunicorn in front of PostgreSQL, on this machine.

    make bench-booking
    # or: .venv/bin/python bench/bench_booking.py --database postgres://postgres@127.0.0.1:5432/guichet_bench

What it does, in a throw-away database (dropped and re-created each run):

1. Seeds 50 organisations, 200 places in 20 cities, 7 appointment types offered everywhere and
   20 000 future sessions over 90 days, and 3 000 registered clients, each with a signed-in session
   (the Django session row is written directly, so the benchmark measures booking, not login).
2. Starts gunicorn (production settings: DEBUG off, persistent connections, emails queued for the
   worker through the database task backend) on 127.0.0.1.
3. **Race**: 500 clients post « Sauvegarder » at the same moment for the last 50 seats of one
   session. Expected: exactly 50 bookings, 450 refusals (« séance complète »), 0 server errors.
4. **Throughput**: 2 000 other clients each book a random session, 32 at a time. Reports
   bookings per second and p50/p95/p99 latency (target: ≥ 200 bookings/s, p95 < 150 ms).
5. **Search**: 20 concurrent users walk « Prendre un rendez-vous » (type → city → results) for
   random types and cities. Reports p50/p95/p99 (target p95 < 100 ms).
6. **Queries per page**, counted in-process on the same data (no N+1: constant in the data size).

The load generator (httpx, asyncio) runs on the same two cores as gunicorn and PostgreSQL, so the
figures are a floor for a real deployment. Results are written down in bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import production_environment, recreate_database  # noqa: E402

ORGANISATIONS = 50
PLACES_PER_ORGANISATION = 4
SESSIONS = 20_000
CLIENTS = 3_000
RACERS = 500
LAST_SEATS = 50
BOOKERS = 2_000
BOOKING_CONCURRENCY = 32
SEARCH_USERS = 20
SEARCH_ROUNDS = 40  # per user, each round three pages
CITIES = [
    "Montréal",
    "Québec",
    "Laval",
    "Gatineau",
    "Longueuil",
    "Sherbrooke",
    "Saguenay",
    "Lévis",
    "Trois-Rivières",
    "Terrebonne",
    "Saint-Jean-sur-Richelieu",
    "Repentigny",
    "Brossard",
    "Drummondville",
    "Saint-Jérôme",
    "Granby",
    "Blainville",
    "Saint-Hyacinthe",
    "Shawinigan",
    "Rimouski",
]
CSRF = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token


def environment(database: str, port: int) -> dict[str, str]:
    return production_environment(database, port)


def seed() -> dict[str, Any]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from guichet.accounts.models import Role, User
    from guichet.appointments.models import AppointmentType, Place, Session
    from guichet.clients.models import Client, ImmigrationStatus, Locality
    from guichet.organisations.models import Organisation, OrganisationKind

    rng = random.Random(2026)
    localities = {loc.name: loc for loc in Locality.objects.filter(name__in=CITIES)}
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisme {n:02d}", code=f"org-{n:02d}", kind=OrganisationKind.PARTNER)
        for n in range(ORGANISATIONS)
    )
    places = Place.objects.bulk_create(
        Place(
            organisation=organisation,
            name=f"Lieu {organisation.code}-{n}",
            address=f"{100 + n}, rue Principale",
            locality=(locality := localities[CITIES[(i * PLACES_PER_ORGANISATION + n) % 20]]),
            postal_code="H2X 2S5",
            latitude=locality.latitude + rng.uniform(-0.05, 0.05),
            longitude=locality.longitude + rng.uniform(-0.05, 0.05),
        )
        for i, organisation in enumerate(organisations)
        for n in range(PLACES_PER_ORGANISATION)
    )
    kinds = []
    for n in range(7):
        kind = AppointmentType.objects.create(
            slug=f"type-{n}",
            title_fr=f"Type de rendez-vous {n}",
            title_en=f"Appointment type {n}",
            description_fr="Séance d'information.",
            description_en="Information session.",
            duration_minutes=120,
            collective=True,
            one_active_booking=False,
        )
        kind.organisations.set(organisations)
        kinds.append(kind)
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        (
            Session(
                appointment_type=kinds[n % len(kinds)],
                organisation=(place := places[n % len(places)]).organisation,
                place=place,
                starts_at=now + timedelta(days=2 + (n * 88) // SESSIONS, hours=n % 9),
                duration_minutes=120,
                capacity=25,
            )
            for n in range(SESSIONS)
        ),
        batch_size=2000,
    )
    race = Session.objects.create(
        appointment_type=kinds[0],
        organisation=places[0].organisation,
        place=places[0],
        starts_at=now + timedelta(days=3),
        duration_minutes=120,
        capacity=RACERS + LAST_SEATS,
        seats_taken=RACERS,
    )
    resident = ImmigrationStatus.objects.get(code="permanent_resident")
    users = User.objects.bulk_create(
        User(username=f"bench{n:05d}", email=f"bench{n:05d}@example.org", role=Role.CLIENT)
        for n in range(CLIENTS)
    )
    Client.objects.bulk_create(
        (
            Client(
                user=user,
                client_number=f"{n:05d}",
                status=resident,
                status_granted_on=date(2020, 1, 1),
                last_name="Banc",
                first_name="Essai",
                birth_date=date(1990, 1, 1),
                sex="F",
                email=user.email,
                locality=localities[CITIES[n % 20]],
                french_sufficient=True,
            )
            for n, user in enumerate(users)
        ),
        batch_size=1000,
    )
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key)
    return {
        "cookies": cookies,
        "race": race.pk,
        "sessions": [s.pk for s in sessions],
        "kinds": [k.pk for k in kinds],
        "cities": {name: loc.pk for name, loc in localities.items()},
    }


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return q[49], q[94], q[98]


async def post_booking(http: Any, cookie: str, session_id: int) -> tuple[int, str, float]:
    started = time.perf_counter()
    response = await http.post(
        "/fr/rendez-vous/prendre/",
        data={"csrfmiddlewaretoken": CSRF, "session": str(session_id)},
        headers={"Cookie": f"sessionid={cookie}; csrftoken={CSRF}"},
    )
    return response.status_code, response.headers.get("location", ""), time.perf_counter() - started


def outcome(status: int, location: str) -> str:
    if status >= 500:
        return "server error"
    if status == 302 and location.rstrip("/").endswith("/fr/rendez-vous"):
        return "booked"
    if status == 302 and "/rendez-vous/prendre/" in location:
        return "refused"
    return f"other {status}"


async def race(base: str, data: dict[str, Any]) -> dict[str, Any]:
    import httpx

    limits = httpx.Limits(max_connections=RACERS, max_keepalive_connections=RACERS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
        start = asyncio.Event()

        async def one(cookie: str) -> tuple[int, str, float]:
            await start.wait()
            return await post_booking(http, cookie, data["race"])

        tasks = [asyncio.create_task(one(c)) for c in data["cookies"][:RACERS]]
        await asyncio.sleep(0.5)
        began = time.perf_counter()
        start.set()
        results = await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    counts: dict[str, int] = {}
    for status, location, _ in results:
        key = outcome(status, location)
        counts[key] = counts.get(key, 0) + 1
    return {"counts": counts, "seconds": elapsed}


async def throughput(base: str, data: dict[str, Any]) -> dict[str, Any]:
    import httpx

    rng = random.Random(7)
    cookies = data["cookies"][RACERS : RACERS + BOOKERS]
    queue: asyncio.Queue[str] = asyncio.Queue()
    for cookie in cookies:
        queue.put_nowait(cookie)
    latencies: list[float] = []
    counts: dict[str, int] = {}
    limits = httpx.Limits(max_connections=BOOKING_CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

        async def worker() -> None:
            while not queue.empty():
                cookie = queue.get_nowait()
                status, location, seconds = await post_booking(
                    http, cookie, rng.choice(data["sessions"])
                )
                latencies.append(seconds)
                key = outcome(status, location)
                counts[key] = counts.get(key, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(BOOKING_CONCURRENCY)))
        elapsed = time.perf_counter() - began
    p50, p95, p99 = percentiles(latencies)
    return {
        "counts": counts,
        "seconds": elapsed,
        "rate": counts.get("booked", 0) / elapsed,
        "p50": p50 * 1000,
        "p95": p95 * 1000,
        "p99": p99 * 1000,
    }


async def search(base: str, data: dict[str, Any]) -> dict[str, Any]:
    import httpx

    rng = random.Random(11)
    cookies = data["cookies"][RACERS + BOOKERS : RACERS + BOOKERS + SEARCH_USERS]
    latencies: dict[str, list[float]] = {"type": [], "city": [], "results": []}
    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:

        async def user(cookie: str) -> None:
            nonlocal errors
            headers = {"Cookie": f"sessionid={cookie}"}
            for _ in range(SEARCH_ROUNDS):
                kind = rng.choice(data["kinds"])
                city = rng.choice(list(data["cities"].values()))
                for step, params in (
                    ("type", {"type": kind}),
                    ("city", {"type": kind, "ville": city}),
                    ("results", {"type": kind, "ville": city, "rechercher": "1"}),
                ):
                    started = time.perf_counter()
                    response = await http.get(
                        "/fr/rendez-vous/prendre/", params=params, headers=headers
                    )
                    latencies[step].append(time.perf_counter() - started)
                    errors += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(user(c) for c in cookies))
        elapsed = time.perf_counter() - began
    everything = [v for values in latencies.values() for v in values]
    report: dict[str, Any] = {"requests": len(everything), "seconds": elapsed, "errors": errors}
    for step, values in {**latencies, "all": everything}.items():
        report[step] = tuple(round(v * 1000, 1) for v in percentiles(values))
    return report


def query_counts(data: dict[str, Any]) -> dict[str, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from guichet.accounts.models import User

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    http = HttpClient()
    http.force_login(User.objects.get(username="bench00000"))
    kind, city = data["kinds"][0], data["cities"]["Montréal"]
    pages = {
        "catalogue": ("/fr/rendez-vous/types/", {}),
        "book": ("/fr/rendez-vous/prendre/", {}),
        "book + type": ("/fr/rendez-vous/prendre/", {"type": kind}),
        "book + type + city": ("/fr/rendez-vous/prendre/", {"type": kind, "ville": city}),
        "results (20 slots)": (
            "/fr/rendez-vous/prendre/",
            {"type": kind, "ville": city, "rechercher": "1"},
        ),
        "my appointments": ("/fr/rendez-vous/", {}),
    }
    counts = {}
    for label, (url, params) in pages.items():
        http.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            response = http.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        counts[label] = len(captured)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench"
        ),
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    env = environment(args.database, args.port)
    os.environ.update(env)

    recreate_database(args.database)
    python = sys.executable
    for command in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [python, "manage.py", *command, "--verbosity", "0"], cwd=ROOT, env=env, check=True
        )
    import django

    django.setup()
    began = time.perf_counter()
    data = seed()
    print(
        f"seeded {ORGANISATIONS} organisations, {len(data['sessions'])} sessions, "
        f"{len(data['cookies'])} clients in {time.perf_counter() - began:.0f} s"
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in production
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
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        import httpx

        for _ in range(100):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        print(f"gunicorn: {args.workers} workers x {args.threads} threads")

        result = asyncio.run(race(base, data))
        from guichet.appointments.models import Booking, Session

        race_session = Session.objects.get(pk=data["race"])
        booked = Booking.objects.filter(session=race_session).count()
        print(
            f"race: {RACERS} clients for the last {LAST_SEATS} seats in "
            f"{result['seconds']:.2f} s -> {result['counts']}; bookings in the database: "
            f"{booked}; seats taken {race_session.seats_taken}/{race_session.capacity}"
        )
        connection.close()

        result = asyncio.run(throughput(base, data))
        print(
            f"throughput: {BOOKERS} bookings, {BOOKING_CONCURRENCY} at a time, in "
            f"{result['seconds']:.1f} s -> {result['rate']:.0f} bookings/s; "
            f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms; "
            f"{result['counts']}"
        )

        result = asyncio.run(search(base, data))
        print(
            f"search: {result['requests']} pages, {SEARCH_USERS} users, "
            f"{result['requests'] / result['seconds']:.0f} pages/s, errors {result['errors']}; "
            "p50/p95/p99 ms: "
            + "; ".join(f"{k} {result[k]}" for k in ("type", "city", "results", "all"))
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for label, count in query_counts(data).items():
        print(f"queries: {label}: {count}")


if __name__ == "__main__":
    main()
