"""gunicorn's workers counted together: one folder of files, added up at each scrape."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.test import SimpleTestCase, TestCase

from trustbox.core.tests.processes import free_port, run_trustbox, trustbox_env
from trustbox.metrics import gunicorn
from trustbox.metrics.multiprocess import directory_prepare
from trustbox.metrics.tests.scrape import value

# One worker's life: a staff page, a public page and an appeal, then its hour ends.
WORKER = """
import time
from trustbox.metrics import counters
counters.response_count(group="staff", status=200, seconds=0.2)
counters.response_count(group="public", status=200, seconds=0.1)
counters.appeal_count()
counters.HOURLY.clock = lambda: time.time() + 3600
counters.HOURLY.publish_due()
"""


def worker_run(directory: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    subprocess.run([sys.executable, "-c", WORKER], env=env, check=True, timeout=60)


class MultiprocessTestCase(TestCase):
    def setUp(self):
        self.directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.directory)

    def test_two_processes_are_added_up(self):
        worker_run(self.directory)
        worker_run(self.directory)
        self.assertEqual(len(list(self.directory.glob("counter_*.db"))), 2)
        folder = str(self.directory)
        self.assertEqual(value("trustbox_appeals_accepted_total", folder), 2)
        self.assertEqual(
            value("trustbox_http_responses_total", folder, group="staff", status="2xx"), 2
        )
        self.assertEqual(
            value("trustbox_http_responses_total", folder, group="public", status="2xx"), 2
        )
        self.assertEqual(
            value("trustbox_http_response_seconds_count", folder, group="staff", status="2xx"), 2
        )
        self.assertEqual(value("trustbox_jobs_waiting", folder), 0)  # the queue, read here

    def test_a_dead_workers_live_gauges_are_dropped_and_its_counts_kept(self):
        worker_run(self.directory)
        (self.directory / "gauge_livesum_4242.db").write_bytes(b"")
        with mock.patch.dict(os.environ, {"PROMETHEUS_MULTIPROC_DIR": str(self.directory)}):
            gunicorn.child_exit(None, SimpleNamespace(pid=4242))
        self.assertFalse((self.directory / "gauge_livesum_4242.db").exists())
        self.assertEqual(value("trustbox_appeals_accepted_total", str(self.directory)), 1)


# Run on SQLite only (scripts/test.sh): files of a folder, no database.
@pytest.mark.database_independent
class FolderTestCase(SimpleTestCase):
    def test_the_folder_is_emptied_and_for_the_owner_only(self):
        parent = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, parent)
        folder = parent / "metrics"
        folder.mkdir(mode=0o755)
        (folder / "counter_1.db").write_bytes(b"old run")
        self.assertEqual(directory_prepare(folder), folder)
        self.assertEqual(list(folder.iterdir()), [])
        self.assertEqual(stat.S_IMODE(folder.stat().st_mode), 0o700)


def get(url: str, **headers: str) -> tuple[int, bytes]:
    try:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# Run on SQLite only (scripts/test.sh): a child server on its own SQLite install, whose
# subject is the processes.
@pytest.mark.database_independent
class ServeCountersTestCase(SimpleTestCase):
    """`serve` runs gunicorn in multiprocess mode over a fresh folder in the data folder."""

    def test_serve_counts_in_its_folder_and_answers_the_machine_only(self):
        data_dir = Path(tempfile.mkdtemp()) / "data"
        self.addCleanup(shutil.rmtree, data_dir.parent)
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=data_dir)
        stale = data_dir / "metrics" / "counter_999999.db"
        stale.parent.mkdir()
        stale.write_bytes(b"an earlier run")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "trustbox", "serve", "--bind", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=trustbox_env(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, _ = get(f"{base}/accounts/login/")
                    break
                except (urllib.error.URLError, ConnectionError):
                    self.assertIsNone(server.poll())
                    self.assertLess(time.monotonic(), deadline)
                    time.sleep(0.2)
            self.assertEqual(status, 200)
            status, text = get(f"{base}/metrics")
            self.assertEqual(status, 200)
            self.assertIn(b'trustbox_http_responses_total{group="staff",status="2xx"} 1.0', text)
            self.assertEqual(get(f"{base}/metrics", **{"X-Forwarded-For": "1.2.3.4"})[0], 404)
            folder = data_dir / "metrics"
            self.assertFalse(stale.exists())
            self.assertEqual(stat.S_IMODE(folder.stat().st_mode), 0o700)
            self.assertTrue(list(folder.glob("counter_*.db")))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
