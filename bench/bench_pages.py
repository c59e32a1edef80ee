"""In-process page benchmark: how long Django takes to answer the foundation's pages.

    make bench            # or: .venv/bin/python bench/bench_pages.py --requests 500

Measures the application alone (no network, no web server) on the configured database, so that
regressions in views, templates and middleware show up. Prints median, p95 and requests/second per
page, and the process's peak memory. Results are recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PAGES = ["/fr/", "/en/", "/fr/nous-joindre/", "/fr/connexion/", "/healthz"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False  # as in production: no query log
    client = Client()
    print(
        f"database: {settings.DATABASES['default']['ENGINE']}  requests per page: {args.requests}"
    )
    print(f"{'page':<22}{'median ms':>10}{'p95 ms':>10}{'req/s':>10}")
    for url in PAGES:
        for _ in range(20):  # warm up caches and connections
            client.get(url)
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        median = statistics.median(timings) * 1000
        p95 = timings[int(len(timings) * 0.95) - 1] * 1000
        print(f"{url:<22}{median:>10.2f}{p95:>10.2f}{len(timings) / sum(timings):>10.0f}")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory: {peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
