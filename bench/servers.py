"""Production servers compared through the real public form: gunicorn (`trustbox serve`) and
granian, each with the same number of worker processes, on the demo school (SQLite).

Each client thread repeats: GET the form, POST it, read the receipt page. Prints one JSON object.

    .venv/bin/python bench/servers.py            # BENCH_SECONDS=20 BENCH_CLIENTS=8 BENCH_WORKERS=2

granian is not a dependency of the project: install it into the venv to compare
(`.venv/bin/pip install granian==2.8.9`); without it only gunicorn is measured.
"""

from __future__ import annotations

import http.cookiejar
import importlib.util
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SCHOOL = "myrzakmatov"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        TRUSTBOX_DATA_DIR=str(data_dir),
        TRUSTBOX_HTTPS="0",
        TRUSTBOX_APPEALS_PER_CLIENT_HOUR="1000000",
        TRUSTBOX_APPEALS_PER_SCHOOL_HOUR="1000000",
        TRUSTBOX_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONPATH=str(ROOT),
    )
    return env


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - our own local server
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError("the server did not answer within 60 s")


def one_appeal(opener: urllib.request.OpenerDirector, base: str) -> None:
    form = opener.open(f"{base}/b/{SCHOOL}/", timeout=30).read().decode()
    token = re.search(r'name="token" value="([^"]+)"', form)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None or csrf is None:
        raise RuntimeError("no form")
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "token": token.group(1),
            "kind": "message",
            "category": "school_life",
            "text": "Benchmark appeal: a proposal for the school garden.",
            "signed": "anonymous",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - our own local server
        f"{base}/b/{SCHOOL}/", data=body, headers={"Referer": f"{base}/b/{SCHOOL}/"}
    )
    page = opener.open(request, timeout=30).read().decode()
    if not re.search(r"\d{4}-\d{4}-\d{4}-\d{4}", page):
        raise RuntimeError("no receipt")


def drive(base: str) -> dict[str, float | int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client() -> None:
        nonlocal errors
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                one_appeal(opener, base)
            except Exception:
                with lock:
                    errors += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "appeals": len(latencies),
        "appeals_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else 0,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else 0,
        "errors": errors,
    }


def measure(name: str, command: list[str], env: dict[str, str], port: int) -> dict[str, object]:
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/b/{SCHOOL}/", process)
        result: dict[str, object] = {"server": name, **drive(base)}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return result


def main() -> None:
    data_dir = Path(tempfile.mkdtemp())
    env = environment(data_dir)
    python = sys.executable
    try:
        for args in (
            ["migrate", "--no-input", "-v", "0"],
            ["demo"],
            ["collectstatic", "--no-input", "-v", "0"],
        ):
            subprocess.run(  # noqa: S603 - our own command line
                [python, "-m", "trustbox", *args],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        results = []
        port = free_port()
        results.append(
            measure(
                "gunicorn",
                [
                    python,
                    "-m",
                    "trustbox",
                    "serve",
                    f"--workers={WORKERS}",
                    f"--bind=127.0.0.1:{port}",
                ],
                env,
                port,
            )
        )
        if importlib.util.find_spec("granian") is not None:
            port = free_port()
            results.append(
                measure(
                    "granian",
                    [
                        python,
                        "-m",
                        "granian",
                        "--interface",
                        "wsgi",
                        "--workers",
                        str(WORKERS),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--no-access-log",
                        "trustbox.wsgi:application",
                    ],
                    env,
                    port,
                )
            )
        print(
            json.dumps(
                {"clients": CLIENTS, "workers": WORKERS, "seconds": SECONDS, "results": results},
                indent=2,
            )
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
