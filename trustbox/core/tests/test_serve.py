"""`trustbox serve` runs gunicorn for real: it answers, and its log holds no address and no path."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import SimpleTestCase

from trustbox.core.tests.processes import free_port, run_trustbox, trustbox_env

# Run on SQLite only (scripts/test.sh): a child server on its own SQLite install, whose
# subject is the processes.
pytestmark = pytest.mark.database_independent


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class ServeTestCase(SimpleTestCase):
    def setUp(self):
        self.data_dir = Path(tempfile.mkdtemp()) / "data"
        self.addCleanup(shutil.rmtree, self.data_dir.parent)

    def assert_static_files_hashed_compressed_and_kept(self, base: str, page: bytes) -> None:
        """The page links the stylesheet by a hashed name, sent compressed for a year."""
        found = re.search(rb'href="(/static/public/public\.[0-9a-f]{12}\.css)"', page)
        self.assertIsNotNone(found, page[:600])
        request = urllib.request.Request(
            base + found.group(1).decode(), headers={"Accept-Encoding": "br, gzip"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertIn(response.headers["Content-Encoding"], {"br", "gzip"})
            self.assertIn("max-age=315360000", response.headers["Cache-Control"])
            self.assertIn("immutable", response.headers["Cache-Control"])

    def test_it_refuses_to_start_before_the_migrations(self):
        result = run_trustbox("serve", "--bind", "127.0.0.1:1", data_dir=self.data_dir, check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("migrate", result.stderr)

    def test_it_serves_the_public_box_with_no_client_address_and_no_path_in_its_log(self):
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=self.data_dir)
        run_trustbox(
            "school", "add", "--slug", "alatoo", "--name", "Ala-Too", data_dir=self.data_dir
        )
        port = free_port()
        log = self.data_dir.parent / "server.log"
        with log.open("wb") as sink:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "trustbox",
                    "serve",
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                cwd=settings.BASE_DIR,
                env=trustbox_env(self.data_dir),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 60
                while True:
                    try:
                        status, page = get(f"{base}/b/alatoo/")
                        break
                    except (urllib.error.URLError, ConnectionError):
                        self.assertIsNone(server.poll(), log.read_text())
                        self.assertLess(time.monotonic(), deadline, log.read_text())
                        time.sleep(0.2)
                self.assertEqual(status, 200)
                self.assertIn(b"Ala-Too", page)
                self.assertEqual(get(f"{base}/accounts/login/")[0], 200)
                self.assertEqual(get(f"{base}/b/no-such-school/")[0], 404)
                self.assertTrue((self.data_dir / "static" / "public" / "public.css").exists())
                self.assertEqual(get(f"{base}/static/public/public.css")[0], 200)
                self.assert_static_files_hashed_compressed_and_kept(base, page)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
        text = log.read_text()
        self.assertIn("Booting worker", text)
        # The server names its own listening address once; no client address may appear.
        self.assertNotIn("127.0.0.1", text.replace(f"127.0.0.1:{port}", "<bind>"))
        for path in ("/b/alatoo/", "/accounts/login/", "no-such-school", "/static/"):
            self.assertNotIn(path, text)
