"""The `keys` command shows the box key's state; a renewal is only for the browser ceremony."""

import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.openings.models import Opening
from trustbox.seal.models import BoxKey, KeyShare
from trustbox.test import SealedBoxTestCase


class KeysCommandTestCase(SealedBoxTestCase):
    def test_the_operator_sees_the_state_of_the_key(self):
        out = StringIO()
        call_command("keys", "status", "alatoo", stdout=out)
        self.assertIn("3 of 5 members, 2 reserve parts", out.getvalue())
        for member in self.members:
            self.assertIn(member.username, out.getvalue())

    def test_renew_points_to_the_ceremony_and_renews_nothing(self):
        out = StringIO()
        with (
            mock.patch("getpass.getpass", side_effect=AssertionError("asked for a password")),
            self.assertRaises(CommandError) as refused,
        ):
            call_command("keys", "renew", "alatoo", stdout=out)
        text = out.getvalue()
        self.assertIn(reverse("seal:ceremony", args=["alatoo"]), text)
        self.assertIn("3 of the holders of the current key", text)
        for member in self.members:
            self.assertIn(member.full_name, text)
        self.assertIn("Reserve parts from the safe", text)
        self.assertIn("never passes through this terminal", str(refused.exception))
        # Nothing was started, renewed, unlocked or written.
        self.assertEqual(BoxKey.objects.current(self.school), self.box_key)
        self.assertEqual(KeyShare.objects.filter(box_key=self.box_key).count(), 5)
        self.assertFalse(Opening.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action__startswith="opening.").exists())

    def test_an_old_command_line_with_a_reserve_file_reads_nothing_and_asks_to_delete_it(self):
        safe = Path(tempfile.mkdtemp()) / "reserve.txt"
        safe.write_text("\n\n".join(self.reserve) + "\n")
        out = StringIO()
        with (
            mock.patch.object(Path, "read_text", side_effect=AssertionError("read")),
            mock.patch.object(Path, "open", side_effect=AssertionError("opened")),
            mock.patch("getpass.getpass", side_effect=AssertionError("asked for a password")),
            self.assertRaises(CommandError),
        ):
            call_command(
                "keys",
                "renew",
                "alatoo",
                "--member",
                self.members[2].username,
                "--reserve-file",
                str(safe),
                stdout=out,
            )
        text = out.getvalue()
        self.assertIn(f"Delete it: shred -u {safe}", text)
        for part in self.reserve:
            self.assertNotIn(part.split()[0] + " " + part.split()[1], text)
        self.assertEqual(BoxKey.objects.current(self.school), self.box_key)
        self.assertFalse(Opening.objects.exists())

    def test_the_command_has_no_way_left_to_take_a_password_or_a_reserve_part(self):
        from trustbox.openings.management.commands import keys

        source = Path(keys.__file__).read_text()
        for gone in ("getpass", "opening_join", "reserve_share_add", "rekey_finish", "read_text"):
            self.assertNotIn(gone, source)
