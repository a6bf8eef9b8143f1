"""What the benchmarks share: a scratch install, servers started and stopped, processes measured.

Nothing here imports Django at module level: the driver and the runner stay light processes.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCHOOL = "myrzakmatov"  # the demo school (trustbox.demo.builders.DEMO_SCHOOL_SLUG)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def emit(result: dict[str, Any]) -> None:
    """Print a benchmark's one JSON document."""
    print(json.dumps(result, indent=2, ensure_ascii=False))


def scratch_dir(prefix: str = "trustbox-bench-") -> Path:
    """A temporary folder removed when this process ends."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, True)
    return path


def django_setup(*, sqlite: bool = False) -> None:
    """Set Django up in this process on a scratch data directory unless one is given."""
    if "TRUSTBOX_DATA_DIR" not in os.environ:
        os.environ["TRUSTBOX_DATA_DIR"] = str(scratch_dir())
    if sqlite:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")
    os.environ.setdefault("TRUSTBOX_HTTPS", "0")
    # The benchmarks fill the box and open it the same day, as the test suite does.
    os.environ.setdefault("TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY", "1")
    os.environ.setdefault("TRUSTBOX_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of values already sorted (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(share * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def latency_summary(seconds: list[float]) -> dict[str, float]:
    values = sorted(seconds)
    return {
        "p50_ms": round(percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "max_ms": round(values[-1] * 1000, 1) if values else 0.0,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy the machine was when the run began."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0],
    }


# --- processes: CPU time and memory from /proc -------------------------------------------


def children(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's or granian's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append(int(entry.name))
    return found


def process_tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue.extend(children(current))
    return pids


def cpu_seconds(pids: Sequence[int]) -> float:
    """User and system CPU time used so far by these processes (not their reaped children)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def rss_mb(pid: int, field_name: str = "VmRSS") -> float:
    """A process's resident memory (VmRSS now, or VmHWM: its peak) in MiB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def peak_rss_reset() -> None:
    """Start counting this process's peak resident memory (VmHWM) from now on."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


# --- a scratch install and the servers ----------------------------------------------------


def trustbox_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a Trust Box process on a scratch install, for the benchmarks.

    The abuse limits are raised: every request comes from one address here.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTBOX_")}
    env.pop("DATABASE_URL", None)
    env.update(
        TRUSTBOX_DATA_DIR=str(data_dir),
        TRUSTBOX_HTTPS="0",
        TRUSTBOX_APPEALS_PER_CLIENT_HOUR="100000000",
        TRUSTBOX_APPEALS_PER_SCHOOL_HOUR="100000000",
        TRUSTBOX_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        TRUSTBOX_LOG_LEVEL="WARNING",
        # The demo is opened on the day it is made (as scripts/demo.sh serves it).
        TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY="1",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def trustbox_manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own command line)
        [PYTHON, "-m", "trustbox", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def demo_install(env: dict[str, str]) -> None:
    """Migrate, create the demo school with its sealed box, collect the static files."""
    trustbox_manage(env, "migrate", "--no-input", "-v", "0")
    trustbox_manage(env, "demo")
    trustbox_manage(env, "collectstatic", "--no-input", "-v", "0")


def gunicorn_command(app: str, port: int, workers: int) -> list[str]:
    """gunicorn as `trustbox serve` starts it (sync workers, no access log)."""
    return [
        PYTHON,
        "-m",
        "gunicorn",
        app,
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--threads=1",
        "--timeout=60",
        "--error-logfile=-",
        "--log-level=warning",
        "--no-control-socket",
    ]


def granian_command(app: str, port: int, workers: int) -> list[str]:
    return [
        PYTHON,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        app,
    ]


SERVERS = {"gunicorn": gunicorn_command, "granian": granian_command}


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    workers: list[int] = field(default_factory=list)

    def pids(self) -> list[int]:
        return process_tree(self.process.pid)


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 (our own local server)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError("the server did not answer within 90 s")


@contextlib.contextmanager
def server_running(
    kind: str, app: str, env: dict[str, str], *, workers: int, probe_path: str, log_dir: Path
) -> Iterator[Server]:
    """Start gunicorn or granian with `workers` processes; stop it (its whole group) after."""
    port = free_port()
    log = log_dir / f"{kind}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            SERVERS[kind](app, port, workers),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + probe_path, process, log)
        deadline = time.monotonic() + 30
        server = Server(process=process, base=base, log=log)
        while time.monotonic() < deadline:
            server.workers = [p for p in server.pids() if p != process.pid]
            if len(server.workers) >= workers:
                break
            time.sleep(0.2)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def run_driver(base: str, *, mode: str, threads: int, seconds: float) -> dict[str, Any]:
    """Run the HTTP client (bench/client.py) in its own process; return its JSON."""
    done = subprocess.run(  # noqa: S603 (our own command line)
        [
            PYTHON,
            str(ROOT / "bench" / "client.py"),
            "--base",
            base,
            "--mode",
            mode,
            "--threads",
            str(threads),
            "--seconds",
            str(seconds),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    return json.loads(done.stdout)
