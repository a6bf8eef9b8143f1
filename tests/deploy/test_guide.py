"""docs/deploy.md, top to bottom, as written (issue 23, point 7).

The blocks the guide marks `<!-- deploy-test: NAME -->` are read from the guide itself, so the
guide and this test cannot drift apart: the code (a clone of this repository's last commit,
as an operator gets it), PostgreSQL, the environment file, migrate and the deploy check, the
first schools and a rollout file, the calendar, the server and the worker from their units'
`ExecStart` as systemd runs them, the daily and backup units, `backup --verify`, `GET /health/`
and `python -m trustbox health`, a restore on a second fresh machine after its `migrate`, and an
upgrade. What the test cannot run is said in machine.py (section 1's packages, Redis when it is
not installed, nginx, systemd itself).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from tests.deploy.machine import Machine, guide_blocks, postgres_bin, stopped

INSTALL = ("folders", "clone", "offline venv", "bootstrap", "database", "environment", "commands")
ROLLOUT = (
    "district_slug,district_name,school_slug,school_name,"
    "director_login,director_name,director_email\n"
    "osh-city,Ош шаары,osh-5,№ 5 мектеп,aigul,Токтогулова Айгүл,\n"
    "osh-city,,osh-6,№ 6 мектеп,nurlan,Асанов Нурлан,\n"
)

ASK_FOR_A_REPORT = """
import datetime
from trustbox.accounts.models import User
from trustbox.reports.services import district_report_request
from trustbox.schools.models import District
from trustbox.schools.periods import Quarter
job = district_report_request(
    district=District.objects.get(slug="kara-suu"),
    quarter=Quarter.of(datetime.date(2026, 7, 1)),
    by=User.objects.get(username="jypar"),
)
print("JOB", job.pk)
"""
JOB_STATUS = """
from trustbox.reports.models import Document, Job
job = Job.objects.get(pk=%(job)s)
print("JOB", job.status, Document.objects.filter(job=job).count())
"""


def said_of_the_job(output: str) -> list[str]:
    """The words of the line the shell snippet printed (the shell may say more)."""
    lines = [line.split()[1:] for line in output.splitlines() if line.startswith("JOB ")]
    assert lines, output
    return lines[-1]


def health(machine: Machine) -> tuple[int, dict[str, object]]:
    """GET /health/ as nginx passes it on: the server's name, HTTPS said by the proxy."""
    connection = http.client.HTTPConnection("127.0.0.1", machine.port, timeout=30)
    try:
        connection.request(
            "GET",
            "/health/",
            headers={"Host": "trustbox.kara-suu.edu.kg", "X-Forwarded-Proto": "https"},
        )
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


class DeployGuideTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self) -> None:
        if os.geteuid() != 0:
            self.skipTest("the guide's commands run as root (docs/deploy.md): run it as root")
        if postgres_bin() is None:
            self.skipTest("PostgreSQL's server binaries are missing (apt-get install postgresql)")
        self.blocks = guide_blocks()
        self.blocks["offline venv"] = ""  # filled per machine
        self.work = Path(tempfile.mkdtemp(prefix="trustbox-deploy-"))
        self.work.chmod(0o755)  # the postgres account reaches its folders inside
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        self.redis = shutil.which("redis-server") is not None

    def machine(self, name: str) -> Machine:
        machine = Machine(self.work / name, redis=self.redis)
        self.addCleanup(machine.stop)
        machine.start()
        self.blocks["offline venv"] = machine.offline_venv()
        return machine

    def script(self, *names: str) -> str:
        return "\n".join(f'echo "=== {name}" >&2\n{self.blocks[name]}' for name in names)

    def ran(self, machine: Machine, *names: str) -> str:
        done = machine.shell(self.script(*names))
        self.assertEqual(done.returncode, 0, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        return done.stdout + done.stderr

    def test_the_guide_runs_as_written(self):
        first = self.machine("first")
        (first.root / "root" / "rollout.csv").write_text(ROLLOUT, encoding="utf-8")
        said = self.ran(first, *INSTALL, "schools", "rollout", "calendar")
        self.assertIn("System check identified no issues", said)
        passwords = first.root / "srv" / "trustbox" / "rollout" / "initial-passwords.csv"
        self.assertEqual(stat.S_IMODE(passwords.stat().st_mode), 0o600)
        self.assertEqual(len(passwords.read_text().splitlines()), 5)  # header, 2, blank, address

        self.serve_and_back_up(first)

        # A fresh machine: sections 1-5 (its `migrate` makes the empty database), then restore.
        second = self.machine("second")
        self.ran(second, *INSTALL)
        # The archive copied over by root, as scp or a USB stick leaves it: root's, mode 0600.
        archive = next((first.root / "var" / "backups" / "trustbox").glob("trustbox-backup-*"))
        shutil.copy2(archive, second.root / "var" / "backups" / "trustbox")
        second.archive = archive.name
        said = self.ran(second, "commands", "restore")
        self.assertIn("systemctl start trustbox trustbox-worker (not run", said)
        schools = second.python("school", "list")
        self.assertEqual(schools.returncode, 0, schools.stderr)
        for slug in ("myrzakmatov", "osh-5", "osh-6"):
            self.assertIn(slug, schools.stdout)

        self.ran(first, "commands", "upgrade")

    def serve_and_back_up(self, first: Machine) -> None:
        """Section 7's units, section 9's units and verify, and what to watch."""
        server = first.unit_start(self.blocks["unit trustbox.service"], first.root / "serve.log")
        worker = first.unit_start(
            self.blocks["unit trustbox-worker.service"], first.root / "worker.log"
        )
        for unit in ("unit trustbox-daily.service", "unit trustbox-backup.service"):
            done = first.unit_run(self.blocks[unit])
            self.assertEqual(done.returncode, 0, f"{unit}: {done.stdout}\n{done.stderr}")
        backups = list((first.root / "var" / "backups" / "trustbox").glob("trustbox-backup-*"))
        self.assertEqual(len(backups), 1)
        self.assertEqual(stat.S_IMODE(backups[0].stat().st_mode), 0o600)
        first.archive = backups[0].name
        self.ran(first, "commands", "verify")

        status, checks = self.health_when_up(first, server)
        self.assertEqual(self.documents_made_in_the_background(first), "done")
        self.assertEqual(status, 200, checks)
        monitor = first.python("health")
        self.assertEqual(monitor.returncode, 0, monitor.stdout + monitor.stderr)
        self.assertEqual(len(monitor.stdout.splitlines()), len(checks["checks"]))
        self.assertIsNone(worker.poll(), (first.root / "worker.log").read_text())
        self.assertEqual(stopped(server), 0, (first.root / "serve.log").read_text())
        self.assertEqual(stopped(worker), 0, (first.root / "worker.log").read_text())

    def documents_made_in_the_background(self, first: Machine) -> str:
        """A district's report asked for as its page asks: the worker's unit makes it."""
        asked = first.python("shell", "-c", ASK_FOR_A_REPORT)
        self.assertEqual(asked.returncode, 0, asked.stderr)
        job = said_of_the_job(asked.stdout)[0]
        for _attempt in range(90):
            said = first.python("shell", "-c", JOB_STATUS % {"job": job})
            status, documents = said_of_the_job(said.stdout)
            if status in ("done", "failed"):
                self.assertGreater(int(documents), 0)
                return status
            time.sleep(2)
        return status

    def health_when_up(
        self, first: Machine, server: subprocess.Popen[bytes]
    ) -> tuple[int, dict[str, object]]:
        for _attempt in range(120):
            try:
                return health(first)
            except OSError:
                self.assertIsNone(server.poll(), (first.root / "serve.log").read_text())
                time.sleep(1)
        self.fail("the server did not answer in 2 minutes")
