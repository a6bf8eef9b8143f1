"""The HTTP client of the throughput benchmark, in its own process. Prints JSON.

Each thread is one writer after another through the real public form: GET the form (a new
visitor: no cookie), POST it with its token and CSRF token, read the receipt page it answers
with. `--mode ceiling` POSTs to the bare view of bench/ceiling instead, one request a round.
Connections are kept alive where the server allows it (granian does; gunicorn's sync workers
close them). The process measures its own CPU time, to show that it is not the bottleneck.

    python bench/client.py --base http://127.0.0.1:8000 --threads 8 --seconds 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import resource
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SCHOOL, latency_summary

TOKEN = re.compile(rb'name="token" value="([^"]+)"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(rb"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}")
TEXT = (
    "Мектептин короосуна көбүрөөк дарак отургузалы. Танапис учурунда балдар күндүн "
    "астында турушат, көлөкө жок. Ата-энелер жардам берүүгө даяр."
)


class Failed(Exception):
    pass


def cookies_from(response: http.client.HTTPResponse) -> str:
    pairs = []
    for header in response.msg.get_all("Set-Cookie") or []:
        pairs.append(header.split(";", 1)[0])
    return "; ".join(pairs)


class Writer:
    """One thread's connection and its record of latencies."""

    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.latencies: dict[str, list[float]] = {"get": [], "post": [], "appeal": []}
        self.errors: Counter[str] = Counter()
        self.receipts: list[str] = []

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        if response.will_close:
            self.connection.close()
        return response.status, data, response

    def appeal(self, record: bool) -> None:
        path = f"/b/{SCHOOL}/"
        t0 = time.perf_counter()
        status, page, response = self.request("GET", path, None, {})
        t1 = time.perf_counter()
        if status != 200:
            raise Failed(f"GET {status}")
        token, csrf = TOKEN.search(page), CSRF.search(page)
        if token is None or csrf is None:
            raise Failed("GET without a form")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1).decode(),
                "token": token.group(1).decode(),
                "kind": "proposal",
                "category": "school_life",
                "text": TEXT,
                "signed": "anonymous",
            }
        ).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies_from(response),
        }
        t2 = time.perf_counter()
        status, page, _response = self.request("POST", path, body, headers)
        t3 = time.perf_counter()
        if status != 200:
            raise Failed(f"POST {status}")
        found = RECEIPT.search(page)
        if found is None:
            raise Failed("POST without a receipt")
        if record:
            self.latencies["get"].append(t1 - t0)
            self.latencies["post"].append(t3 - t2)
            self.latencies["appeal"].append(t3 - t0)
            self.receipts.append(found.group(0).decode())

    def ceiling(self, record: bool) -> None:
        t0 = time.perf_counter()
        status, _page, _response = self.request(
            "POST",
            "/store/",
            TEXT.encode(),
            {"Content-Type": "text/plain; charset=utf-8"},
        )
        if status != 200:
            raise Failed(f"POST {status}")
        if record:
            self.latencies["appeal"].append(time.perf_counter() - t0)


def drive(
    host: str, port: int, *, mode: str, threads: int, seconds: float, warmup: float
) -> dict[str, object]:
    writers = [Writer(host, port) for _ in range(threads)]
    begin = time.monotonic() + warmup
    stop = begin + seconds

    def loop(writer: Writer) -> None:
        act = writer.appeal if mode == "appeal" else writer.ceiling
        while (now := time.monotonic()) < stop:
            record = now >= begin
            try:
                act(record)
            except Failed as error:
                if record:
                    writer.errors[str(error)] += 1
            except (OSError, http.client.HTTPException) as error:
                if record:
                    writer.errors[type(error).__name__] += 1

    workers = [threading.Thread(target=loop, args=(w,)) for w in writers]
    for thread in workers:
        thread.start()
    while time.monotonic() < begin:
        time.sleep(0.01)
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (usage_after.ru_utime - usage_before.ru_utime) + (
        usage_after.ru_stime - usage_before.ru_stime
    )

    done = [x for w in writers for x in w.latencies["appeal"]]
    errors: Counter[str] = Counter()
    for writer in writers:
        errors.update(writer.errors)
    result: dict[str, object] = {
        "mode": mode,
        "threads": threads,
        "seconds": round(elapsed, 2),
        "completed": len(done),
        "per_second": round(len(done) / elapsed, 1),
        **latency_summary(done),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "client_cpu_cores": round(client_cpu / elapsed, 2),
        "client_cpu_us_per_round": round(client_cpu / max(1, len(done)) * 1e6),
    }
    if mode == "appeal":
        result["get"] = latency_summary([x for w in writers for x in w.latencies["get"]])
        result["post_to_receipt"] = latency_summary(
            [x for w in writers for x in w.latencies["post"]]
        )
        receipts = [r for w in writers for r in w.receipts]
        result["distinct_receipts"] = len(set(receipts))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True)
    parser.add_argument("--mode", choices=["appeal", "ceiling"], default="appeal")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=2)
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.base)
    print(
        json.dumps(
            drive(
                url.hostname or "127.0.0.1",
                url.port or 80,
                mode=args.mode,
                threads=args.threads,
                seconds=args.seconds,
                warmup=args.warmup,
            )
        )
    )


if __name__ == "__main__":
    main()
