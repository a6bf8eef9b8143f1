import secrets
import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from trustbox.core.tests.processes import run_trustbox, trustbox_env


class DeployCheckTestCase(SimpleTestCase):
    def test_the_deployment_check_passes_with_production_settings(self):
        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        env = trustbox_env(
            data_dir,
            TRUSTBOX_HTTPS="1",
            TRUSTBOX_BEHIND_PROXY="1",
            TRUSTBOX_DEBUG="0",
            TRUSTBOX_SECRET_KEY=secrets.token_urlsafe(60),
            TRUSTBOX_OTP_KEY=secrets.token_urlsafe(32),
            TRUSTBOX_ALLOWED_HOSTS="trustbox.example.kg",
            TRUSTBOX_SITE_URL="https://trustbox.example.kg",
            TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY="0",
        )
        result = run_trustbox(
            "check", "--deploy", "--fail-level", "WARNING", data_dir=data_dir, env=env, check=False
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)
        self.assertNotIn("WARNINGS", result.stderr)
