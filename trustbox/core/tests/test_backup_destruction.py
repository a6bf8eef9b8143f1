"""A destroyed case in backups (issue 24, point 3 and "Done when").

A backup taken after the destruction opens nothing of the case with any member's password,
and the restore of a backup taken before it destroys the case again, from the ledger kept
beside the archives, before the server serves; without a ledger the restore says what it could
not check. Real commands (`backup`, `restore`) in child processes, as the operator runs them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from unittest import skipUnless

from django.test import SimpleTestCase

from trustbox.core.destructions import LEDGER_NAME
from trustbox.core.tests import test_backup
from trustbox.core.tests.processes import run_script, run_trustbox, trustbox_env

DESTROYED = ["SECRET-they mock me at breaks", "SECRET-note on the case", "SECRET-reply to her"]
KEPT = "SECRET-the canteen is cold"

CASES = """
import json
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_open
from trustbox.registry.consideration import (
    appeal_close, appeal_decide, appeal_note_add, appeal_reply,
)
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal
from trustbox.registry.services import appeal_register
from trustbox.schools.models import District
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

made = make_school_with_commission("alatoo", District.objects.create(name="Ala-Too", slug="a"))
school, members = made["school"], made["members"]
for member in members:
    member_key_set(user=member, password=PASSWORD, school=school)
box_key_create(school=school, by=members[1])
texts = TEXTS
receipts = [
    appeal_submit(school=school, envelope=Envelope(kind="complaint", category="bullying",
                                                   text=text)).code
    for text in texts
]
opening, browser_key = opening_start(school=school, by=members[0])
for member in members[:3]:
    opening_join(opening=opening, member=member, password=PASSWORD,
                 session_code=opening_code(opening))
opening_open(opening=opening, by=members[0], browser_key=browser_key)
private = registry_unlock(school=school, user=members[0], password=PASSWORD)
closed, kept = [
    appeal_register(appeal=a, by=members[0], registry_private=private, kind=a.kind,
                    category=a.category, urgent=a.urgent)
    for a in Appeal.objects.order_by("number_in_act")
]
appeal_note_add(appeal=closed, by=members[1], text=NOTE)
appeal_reply(appeal=closed, by=members[0], text=REPLY, channel="receipt")
appeal_decide(appeal=closed, by=members[0], outcome="resolved")
appeal_close(appeal=closed, by=members[0])
print(json.dumps({"receipts": receipts, "closed": closed.pk}))
"""

DESTROY = """
from trustbox.accounts.models import User
from trustbox.registry.destruction import appeal_destroy
from trustbox.registry.models import Appeal

appeal_destroy(appeal=Appeal.objects.get(pk=PK), by=User.objects.get(username="alatoo-member1"),
               act_reference="2031/1")
"""

READABLE = """
import json
from trustbox.registry.tests.shredding import secrets_readable
from trustbox.schools.models import School
from trustbox.test import PASSWORD

print(json.dumps(secrets_readable(school=School.objects.get(slug="alatoo"), password=PASSWORD,
                                  secrets=SECRETS, receipts=RECEIPTS)))
"""


class SQLiteDestroyedCaseInBackupsTestCase(SimpleTestCase):
    def env(self, data_dir: Path) -> dict[str, str]:
        return trustbox_env(data_dir)

    def folder(self) -> Path:
        path = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, path)
        return path

    def install(self) -> tuple[Path, dict[str, str]]:
        data_dir = self.folder() / "data"
        return data_dir, self.env(data_dir)

    def script(self, text: str, data_dir: Path, env: dict[str, str]) -> str:
        return run_script(text, data_dir=data_dir, env=env)

    def readable(self, data_dir: Path, env: dict[str, str]) -> list[str]:
        script = READABLE.replace("SECRETS", repr([*DESTROYED, KEPT])).replace(
            "RECEIPTS", repr(self.receipts)
        )
        return json.loads(self.script(script, data_dir, env))

    def backup(self, folder: Path, data_dir: Path, env: dict[str, str]) -> tuple[Path, str]:
        done = run_trustbox(
            "--language", "en", "backup", "--output", str(folder), data_dir=data_dir, env=env
        )
        return Path(done.stdout.strip()), done.stderr

    def restore(self, archive: Path, *more: str) -> tuple[Path, dict[str, str], str]:
        target, env = self.install()
        done = run_trustbox(
            "--language", "en", "restore", str(archive), *more, data_dir=target, env=env
        )
        return target, env, done.stdout

    def test_a_destroyed_case_opens_in_no_later_backup_and_comes_back_in_no_restore(self):
        source, env = self.install()
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=source, env=env)
        cases = CASES.replace("TEXTS", repr([DESTROYED[0], KEPT]))
        cases = cases.replace("NOTE", repr(DESTROYED[1])).replace("REPLY", repr(DESTROYED[2]))
        made = json.loads(self.script(cases, source, env))
        self.receipts = made["receipts"]
        self.assertEqual(self.readable(source, env), [*DESTROYED, KEPT])  # the search works
        before, said = self.backup(self.folder(), source, env)
        self.assertIn("kept for at most 30 days", said)
        self.script(DESTROY.replace("PK", str(made["closed"])), source, env)
        ledger = json.loads((source / LEDGER_NAME).read_text())
        self.assertEqual(set(ledger), {"school", "number", "seq", "act", "day"})
        self.assertEqual((ledger["school"], ledger["seq"], ledger["act"]), ("alatoo", 1, "2031/1"))
        self.assertEqual(self.readable(source, env), [KEPT])

        # A backup taken after the destruction: nothing of the case opens from it.
        backups = self.folder()
        after, said = self.backup(backups, source, env)
        self.assertIn("(destructions listed: 1)", said)
        self.assertTrue((backups / LEDGER_NAME).is_file())
        target, target_env, _said = self.restore(after)
        self.assertEqual(self.readable(target, target_env), [KEPT])

        # The backup from before, restored beside the ledger: destroyed again before it serves.
        shutil.copy(before, backups / before.name)
        target, target_env, said = self.restore(backups / before.name)
        self.assertIn("Destructions destroyed again in the restored database: 1.", said)
        self.assertEqual(self.readable(target, target_env), [KEPT])

        # The same backup restored where no ledger is: it says what it could not check.
        alone = self.folder() / before.name
        shutil.copy(before, alone)
        target, target_env, said = self.restore(alone)
        self.assertIn("WARNING: no ledger of destructions was found", said)
        self.assertIn("could not be checked whether this backup holds cases destroyed", said)
        # Given the ledger kept elsewhere, the restore destroys it again.
        target, target_env, said = self.restore(alone, "--destructions", str(backups / LEDGER_NAME))
        self.assertIn("destroyed again in the restored database: 1.", said)
        self.assertEqual(self.readable(target, target_env), [KEPT])


@skipUnless(test_backup._postgres_url(), "DATABASE_URL does not point to PostgreSQL")
class PostgreSQLDestroyedCaseInBackupsTestCase(SQLiteDestroyedCaseInBackupsTestCase):
    """The same with pg_dump and pg_restore, each install in a database of its own."""

    def env(self, data_dir: Path) -> dict[str, str]:
        return test_backup.PostgreSQLBackupTestCase.env(self, data_dir)
