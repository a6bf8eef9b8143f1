import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError

from trustbox.seal.models import BoxKey
from trustbox.test import PASSWORD, SealedBoxTestCase


class KeysCommandTestCase(SealedBoxTestCase):
    def test_the_operator_sees_the_state_of_the_key(self):
        out = StringIO()
        call_command("keys", "status", "alatoo", stdout=out)
        self.assertIn("3 of 5 members, 2 reserve parts", out.getvalue())

    def test_the_reserve_parts_and_one_member_renew_the_key_from_the_command_line(self):
        safe = Path(tempfile.mkdtemp()) / "reserve.txt"
        safe.write_text("\n\n".join(self.reserve) + "\n")
        out = StringIO()
        with mock.patch("getpass.getpass", return_value=PASSWORD):
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
        self.assertIn("The box key is renewed", text)
        self.assertIn("Reserve part 2:", text)
        new_key = BoxKey.objects.current(self.school)
        self.assertNotEqual(new_key, self.box_key)
        self.assertNotEqual(bytes(new_key.public_key), bytes(self.box_key.public_key))

    def test_a_wrong_password_renews_nothing(self):
        with mock.patch("getpass.getpass", return_value="wrong"), self.assertRaises(CommandError):
            call_command(
                "keys", "renew", "alatoo", "--member", self.members[0].username, stdout=StringIO()
            )
        self.assertEqual(BoxKey.objects.current(self.school), self.box_key)
