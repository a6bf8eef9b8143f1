"""A production server takes its secret key from the environment and keeps no demo secrets."""

from __future__ import annotations

import secrets
import shutil
import stat
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from trustbox.core.tests.processes import run_script_to_its_end, run_trustbox, trustbox_env
from trustbox.demo.files import demo_receipt_path, demo_reserve_path

KEY = secrets.token_urlsafe(60)
KEYS = {"TRUSTBOX_SECRET_KEY": KEY, "TRUSTBOX_OTP_KEY": secrets.token_urlsafe(32)}


class DemoSecretFilesTestCase(TestCase):
    def test_the_demo_names_its_secret_files_and_keeps_them_for_the_owner_only(self):
        # A receipt file left readable by everyone from an earlier demo is made private too.
        demo_receipt_path().write_text("old\n")
        demo_receipt_path().chmod(0o644)
        out = StringIO()
        with translation.override("en"):
            call_command("demo", address="http://localhost:8000", stdout=out)
        text = out.getvalue()
        for path in (demo_reserve_path(), demo_receipt_path()):
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600, path)
            self.assertIn(f"    {path}\n", text)
        self.assertEqual(len(demo_reserve_path().read_text().split("\n\n")), 2)
        self.assertNotEqual(demo_receipt_path().read_text(), "old\n")
        said = " ".join(text.split())  # the warning is wrapped to the terminal's width
        self.assertIn("Never keep such files on a real install: delete them", said)
        self.assertIn("refuses to start while they exist", said)


# Run on SQLite only (scripts/test.sh): child processes on their own SQLite installs.
@pytest.mark.database_independent
class ProductionServeTestCase(SimpleTestCase):
    """`serve` and the WSGI application, in a child process with the environment given."""

    def setUp(self):
        self.data_dir = Path(tempfile.mkdtemp()) / "data"
        self.data_dir.mkdir()
        self.addCleanup(shutil.rmtree, self.data_dir.parent)

    def env(self, **given: str) -> dict[str, str]:
        # A production environment: HTTPS on, openings leave their own day alone.
        production = {"TRUSTBOX_HTTPS": "1", "TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY": "0"}
        return trustbox_env(self.data_dir, **{**production, **given})

    def serve(self, env: dict[str, str]) -> str:
        """Start `serve` on an unmigrated install: what it says when it stops (it must stop)."""
        result = run_trustbox(
            "serve", "--bind", "127.0.0.1:1", data_dir=self.data_dir, env=env, check=False
        )
        self.assertNotEqual(result.returncode, 0)
        return result.stderr

    def test_production_refuses_to_start_without_the_secret_key_in_the_environment(self):
        said = self.serve(self.env())
        self.assertIn("TRUSTBOX_SECRET_KEY", said)
        self.assertIn("EnvironmentFile", said)
        self.assertIn("/etc/trustbox/env", said)
        self.assertNotIn("migrate", said)  # it stopped before looking at the database
        # With the secret key but not the authenticators' key it refuses too, naming that one.
        said = self.serve(self.env(TRUSTBOX_SECRET_KEY=KEY))
        self.assertIn("TRUSTBOX_OTP_KEY", said)
        self.assertNotIn("migrate", said)
        # With both keys it goes on, and stops only at the missing migrations.
        said = self.serve(self.env(**KEYS))
        self.assertNotIn("TRUSTBOX_SECRET_KEY", said)
        self.assertIn("migrate", said)
        # The demo on http://localhost keeps the key of the data folder.
        said = self.serve(trustbox_env(self.data_dir))
        self.assertNotIn("TRUSTBOX_SECRET_KEY", said)
        self.assertIn("migrate", said)

    def test_the_wsgi_application_refuses_production_without_the_secret_key(self):
        script = "import trustbox.wsgi\nprint('loaded')\n"
        refused = run_script_to_its_end(script, data_dir=self.data_dir, env=self.env())
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("ImproperlyConfigured", refused.stderr)
        self.assertIn("TRUSTBOX_SECRET_KEY", refused.stderr)
        self.assertNotIn("loaded", refused.stdout)
        loaded = run_script_to_its_end(script, data_dir=self.data_dir, env=self.env(**KEYS))
        self.assertEqual(loaded.returncode, 0, loaded.stderr)
        self.assertIn("loaded", loaded.stdout)

    def test_the_deployment_check_names_the_missing_secret_key(self):
        result = run_trustbox(
            "check", "--deploy", data_dir=self.data_dir, env=self.env(), check=False
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("core.E001", result.stderr)
        self.assertIn("TRUSTBOX_SECRET_KEY", result.stderr)

    def test_production_refuses_to_start_while_a_demo_secret_file_is_in_the_data_folder(self):
        env = self.env(**KEYS)
        reserve = self.data_dir / "demo-reserve-shares.txt"
        receipt = self.data_dir / "demo-receipt.txt"
        for path in (reserve, receipt):
            path.write_text("secret\n")
        said = self.serve(env)
        self.assertIn(str(reserve), said)
        self.assertIn(f"shred -u {reserve}", said)
        self.assertEqual(len(said.strip().splitlines()), 1, said)  # one clear line
        reserve.unlink()
        said = self.serve(env)
        self.assertIn(f"shred -u {receipt}", said)
        self.assertNotIn("migrate", said)
        # The demo's own server (TRUSTBOX_HTTPS off) keeps them; gone, production starts.
        self.assertNotIn(str(receipt), self.serve(trustbox_env(self.data_dir)))
        receipt.unlink()
        said = self.serve(env)
        self.assertNotIn("shred", said)
        self.assertIn("migrate", said)
