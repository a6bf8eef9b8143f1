"""Benchmark the public box: page weight and sealing throughput. Prints JSON."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")
os.environ.setdefault("TRUSTBOX_HTTPS", "0")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from trustbox.box.envelope import Envelope  # noqa: E402
from trustbox.box.services import appeal_submit  # noqa: E402
from trustbox.core.demo import demo_create  # noqa: E402

APPEALS = int(os.environ.get("BENCH_APPEALS", "500"))


def main() -> None:
    call_command("migrate", verbosity=0)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        school = demo_create()
    client = Client(HTTP_HOST="localhost")
    page = client.get(f"/b/{school.slug}/").content
    css = b"".join(client.get("/static/public/public.css").streaming_content)  # type: ignore[attr-defined]

    envelope = Envelope(kind="complaint", category="bullying", text="Бенчмарк " * 60)
    latencies = []
    started = time.perf_counter()
    for _ in range(APPEALS):
        t0 = time.perf_counter()
        appeal_submit(school=school, envelope=envelope)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    latencies.sort()
    print(
        json.dumps(
            {
                "page_bytes": len(page),
                "css_bytes": len(css),
                "page_with_css_kb": round((len(page) + len(css)) / 1024, 1),
                "appeals": APPEALS,
                "appeals_per_second_one_process": round(APPEALS / elapsed, 1),
                "latency_ms_median": round(statistics.median(latencies) * 1000, 1),
                "latency_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
