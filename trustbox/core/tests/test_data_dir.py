import logging
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import SimpleTestCase

from trustbox.core.tests.processes import run_trustbox

# Run on SQLite only (scripts/test.sh): each child install has its own SQLite data folder.
pytestmark = pytest.mark.database_independent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class DataDirectoryTestCase(SimpleTestCase):
    def test_the_database_and_its_files_are_readable_by_the_owner_only(self):
        data_dir = Path(tempfile.mkdtemp()) / "var"
        self.addCleanup(shutil.rmtree, data_dir.parent)
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=data_dir)
        # Write once more with the connection kept open, so that SQLite's -wal and -shm exist.
        listing = run_trustbox(
            "shell",
            "-c",
            "from django.db import connection\n"
            "from trustbox.schools.models import District\n"
            "District.objects.create(name='x', slug='x')\n"
            "import os\n"
            "from django.conf import settings\n"
            "print('\\n'.join(sorted(os.listdir(settings.DATA_DIR))))\n",
            data_dir=data_dir,
        ).stdout.split()
        self.assertIn("trustbox.sqlite3-wal", listing)
        self.assertIn("trustbox.sqlite3-shm", listing)
        self.assertEqual(mode(data_dir), 0o700)
        found = list(data_dir.rglob("*"))
        self.assertIn(data_dir / "trustbox.sqlite3", found)
        self.assertIn(data_dir / "secret_key", found)
        for path in found:
            self.assertEqual(mode(path), 0o700 if path.is_dir() else 0o600, path)

    def test_an_existing_data_directory_is_closed_to_others(self):
        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        data_dir.chmod(0o755)
        run_trustbox("check", "-v", "0", data_dir=data_dir)
        self.assertEqual(mode(data_dir), 0o700)


def request_logged(path: str, status: int = 200) -> None:
    """Log one request as Django's development server does."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.requestline = f"GET {path} HTTP/1.1"
    handler.client_address = ("127.0.0.1", 50000)
    handler.log_request(status, 1234)


class DevelopmentServerLogTestCase(SimpleTestCase):
    def test_requests_of_the_public_box_are_not_logged(self):
        for path in (
            "/b/alatoo/",
            "/b/alatoo/status/",
            "/b/alatoo/kiosk/",
            "/language/",
            "/static/core/site.css",
            "/",
        ):
            with self.subTest(path=path), self.assertNoLogs("django.server"):
                request_logged(path)
        with self.assertNoLogs("django.server"):
            request_logged("/b/no-such-school/", status=404)

    def test_a_broken_pipe_does_not_log_the_client_address(self):
        with self.assertNoLogs("django.server"):
            logging.getLogger("django.server").info("- Broken pipe from %s", ("127.0.0.1", 5))

    def test_requests_of_staff_pages_are_still_logged_without_an_address(self):
        with self.assertLogs("django.server", level="INFO") as logs:
            request_logged("/s/alatoo/registry/")
        self.assertEqual(
            logs.output, ['INFO:django.server:"GET /s/alatoo/registry/ HTTP/1.1" 200 1234']
        )
