"""A backup restored into an empty install opens the box: with the reserve parts, with members.

The archive holds no secret key: the restored server takes its own from the environment.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import stat
import tarfile
import tempfile
import uuid
from pathlib import Path
from unittest import skipUnless

import pytest
from django.conf import settings
from django.test import SimpleTestCase

from trustbox.core.tests.processes import run_script, run_trustbox, trustbox_env
from trustbox.test import PASSWORD

TEXTS = [
    "Танапис учурунда 7-класстагы балдар мени шылдыңдашат.",
    "В столовой холодная еда, проверьте пожалуйста.",
    "Менин досум жашагым келбейт деп айтып жүрөт.",
    "A proposal: a chess club after lessons.",
]

SETUP = """
import json
from trustbox.box.envelope import Attachment, Category, Envelope, Kind, Writer
from trustbox.box.services import appeal_submit
from trustbox.schools.models import District
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

district = District.objects.create(name="Ala-Too", slug="ala-too")
made = make_school_with_commission("alatoo", district)
school = made["school"]
for member in made["members"]:
    member_key_set(user=member, password=PASSWORD, school=school)
_key, reserve = box_key_create(school=school, by=made["members"][1])
texts = TEXTS
envelopes = [
    Envelope(kind=Kind.COMPLAINT, category=Category.BULLYING, text=texts[0],
             attachments=[Attachment("photo.txt", "text/plain", b"evidence")]),
    Envelope(kind=Kind.COMPLAINT, category=Category.CANTEEN, text=texts[1], language="ru",
             writer=Writer(name="Abdykadyrova Nazira", contact="+996 555 000 111")),
    Envelope(kind=Kind.MESSAGE, category=Category.HEALTH, text=texts[2], urgent=True),
    Envelope(kind=Kind.PROPOSAL, category=Category.SCHOOL_LIFE, text=texts[3], language="en"),
]
receipts = [appeal_submit(school=school, envelope=envelope).code for envelope in envelopes]
print(json.dumps({"reserve": reserve, "receipts": receipts}))
"""

OPEN = """
import json
from trustbox.accounts.models import User
from trustbox.box.services import appeal_find_by_receipt
from trustbox.openings.gathering import (
    opening_code,
    opening_join,
    opening_start,
    reserve_share_add,
)
from trustbox.openings.services import opening_open
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal
from trustbox.registry.services import appeal_read
from trustbox.schools.models import School
from trustbox.test import PASSWORD

given = GIVEN
school = School.objects.get(slug="alatoo")
members = [User.objects.get(username=f"alatoo-member{n}") for n in (1, 2, 3)]
found = [appeal_find_by_receipt(school=school, code=code) is not None for code in given["receipts"]]
opening, browser_key = opening_start(school=school, by=members[0])
if given["with"] == "reserve":
    for part in given["reserve"]:
        reserve_share_add(opening=opening, by=members[0], words=part)
    opening_join(
            opening=opening,
            member=members[0],
            password=PASSWORD,
            session_code=opening_code(opening),
        )
else:
    for member in members:
        opening_join(
            opening=opening,
            member=member,
            password=PASSWORD,
            session_code=opening_code(opening),
        )
opening = opening_open(opening=opening, by=members[0], browser_key=browser_key)
registry_private = registry_unlock(school=school, user=members[0], password=PASSWORD)
envelopes = [
    appeal_read(appeal=appeal, by=members[0], purpose="view", registry_private=registry_private)
    for appeal in Appeal.objects.filter(school=school).order_by("number_in_act")
]
print(json.dumps({
    "texts": [envelope.text for envelope in envelopes],
    "attachments": [[a.data.decode() for a in envelope.attachments] for envelope in envelopes],
    "writers": [envelope.writer.name if envelope.writer else "" for envelope in envelopes],
    "damage": opening.damage,
    "receipts_found": found,
}))
"""


class BackupTestCase(SimpleTestCase):
    """Make a sealed box in one install, back it up, restore it into empty ones and open it."""

    __test__ = False  # run by its two cases below, one per database

    def env(self, data_dir: Path, **extra: str) -> dict[str, str]:
        return trustbox_env(data_dir, **extra)

    def folder(self) -> Path:
        path = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, path)
        return path

    def fresh_install(self, **extra: str) -> tuple[Path, dict[str, str]]:
        data_dir = self.folder() / "data"
        return data_dir, self.env(data_dir, **extra)

    def production_install(self) -> tuple[Path, dict[str, str]]:
        """An empty install configured as in production: its secret key from the environment."""
        return self.fresh_install(TRUSTBOX_HTTPS="1", TRUSTBOX_SECRET_KEY=secrets.token_urlsafe(60))

    def test_a_backup_restored_into_an_empty_install_opens_with_reserve_parts_or_members(self):
        source, source_env = self.fresh_install()
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=source, env=source_env)
        made = json.loads(
            run_script(
                SETUP.replace("texts = TEXTS", f"texts = {TEXTS!r}"),
                data_dir=source,
                env=source_env,
            )
        )
        backups = self.folder() / "backups"
        archive = Path(
            run_trustbox(
                "backup", "--output", str(backups), data_dir=source, env=source_env
            ).stdout.strip()
        )
        self.assertEqual(archive.parent, backups)
        self.assertEqual(stat.S_IMODE(archive.stat().st_mode), 0o600)
        # The source keeps its secret key in the data folder (as the demo does): not archived.
        data_dir_key = (source / "secret_key").read_text().strip()
        self.assertHoldsNoSecret(archive, [*made["reserve"], data_dir_key])

        for way in ("reserve", "members"):
            with self.subTest(way=way):
                # Restored as in production, with the secret key from the environment.
                target, target_env = self.production_install()
                if way == "members":  # as the deploy guide goes: migrate, then restore
                    run_trustbox(
                        "migrate", "--no-input", "-v", "0", data_dir=target, env=target_env
                    )
                run_trustbox("restore", str(archive), data_dir=target, env=target_env)
                refused = run_trustbox(
                    "restore", str(archive), data_dir=target, env=target_env, check=False
                )
                self.assertNotEqual(refused.returncode, 0)
                self.assertIn("бош эмес", refused.stderr)  # "not empty", in Kyrgyz by default
                given = {**made, "with": way}
                opened = json.loads(
                    run_script(OPEN.replace("GIVEN", repr(given)), data_dir=target, env=target_env)
                )
                self.assertEqual(opened["texts"], TEXTS)
                self.assertEqual(opened["attachments"], [["evidence"], [], [], []])
                self.assertEqual(opened["writers"], ["", "Abdykadyrova Nazira", "", ""])
                self.assertEqual(opened["damage"], [])
                self.assertEqual(opened["receipts_found"], [True, True, True, True])
                self.assertFalse((target / "secret_key").exists())

    def test_an_older_archive_with_a_secret_key_is_restored_without_it(self):
        source, source_env = self.fresh_install()
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=source, env=source_env)
        run_trustbox(
            "district",
            "add",
            "--slug",
            "ala-too",
            "--name",
            "Ala-Too",
            data_dir=source,
            env=source_env,
        )
        archive = Path(
            run_trustbox(
                "backup", "--output", str(self.folder()), data_dir=source, env=source_env
            ).stdout.strip()
        )
        old_key = (source / "secret_key").read_bytes()
        old = format_one(archive, old_key)
        target, target_env = self.production_install()
        restored = run_trustbox("restore", str(old), data_dir=target, env=target_env)
        self.assertIn("TRUSTBOX_SECRET_KEY", restored.stdout)
        self.assertFalse((target / "secret_key").exists())
        self.assertEqual(
            [p for p in target.rglob("*") if p.is_file() and p.read_bytes() == old_key], []
        )
        counted = run_script(
            "from trustbox.schools.models import District\nprint(District.objects.get().slug)",
            data_dir=target,
            env=target_env,
        )
        self.assertEqual(counted.strip(), "ala-too")

    def assertHoldsNoSecret(self, archive: Path, reserve: list[str]) -> None:
        with tarfile.open(archive) as opened:
            names = sorted(opened.getnames())
            self.assertIn("manifest.json", names)
            self.assertNotIn("secret_key", names)
            self.assertEqual(len(names), 2, names)  # the manifest and the database
            blobs = b"".join(
                opened.extractfile(member).read()
                for member in opened.getmembers()
                if member.isfile()
            )
            modes = {member.name: member.mode for member in opened.getmembers()}
        self.assertEqual(set(modes.values()), {0o600})
        # The texts, the members' password, every reserve part (also its first three words) and
        # the secret key.
        for secret in [
            *TEXTS,
            PASSWORD,
            *reserve,
            *(" ".join(part.split()[:3]) for part in reserve),
        ]:
            self.assertFalse(secret.encode() in blobs, secret)


def format_one(archive: Path, secret_key: bytes) -> Path:
    """The same backup as Trust Box wrote it before December 2026: with the secret key."""
    old = archive.with_name("old-" + archive.name)
    with tarfile.open(archive) as new, tarfile.open(old, "w:gz") as written:
        manifest = json.loads(new.extractfile("manifest.json").read())
        manifest["format"] = 1
        manifest["sha256"]["secret_key"] = hashlib.sha256(secret_key).hexdigest()
        for member in new.getmembers():
            if member.name != "manifest.json":
                written.addfile(member, new.extractfile(member))
        for name, body in (
            ("manifest.json", json.dumps(manifest).encode()),
            ("secret_key", secret_key),
        ):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(body), 0o600
            written.addfile(info, io.BytesIO(body))
    return old


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


# Run on SQLite only (scripts/test.sh): each install on SQLite whatever the suite's database
# (trustbox_env); the PostgreSQL step runs the case below instead.
@pytest.mark.database_independent
class SQLiteBackupTestCase(BackupTestCase):
    """Each install on SQLite: the online backup API."""

    __test__ = True


@skipUnless(_postgres_url(), "DATABASE_URL does not point to PostgreSQL")
class PostgreSQLBackupTestCase(BackupTestCase):
    """The same on PostgreSQL: pg_dump and pg_restore, each install in a database of its own."""

    __test__ = True

    def env(self, data_dir: Path, **extra: str) -> dict[str, str]:
        import psycopg

        name = f"trustbox_backup_{uuid.uuid4().hex[:12]}"
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**params) as server:
            server.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(**params) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.addCleanup(drop)
        base = _postgres_url().rsplit("/", 1)[0]
        return trustbox_env(data_dir, DATABASE_URL=f"{base}/{name}", **extra)
