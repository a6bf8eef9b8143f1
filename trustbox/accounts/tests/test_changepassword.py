import getpass
from io import StringIO
from unittest import mock

from django.core.management import call_command, get_commands
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import target_label
from trustbox.test import BaseTestCase

OPERATOR_TYPED = "a password the operator knows 7"


class OperatorPasswordResetTestCase(BaseTestCase):
    def test_the_command_is_the_one_of_trust_box(self):
        self.assertEqual(get_commands()["changepassword"], "trustbox.accounts")

    def test_a_password_reset_by_the_operator_must_be_changed_at_the_next_sign_in(self):
        with mock.patch("getpass.getpass", return_value=OPERATOR_TYPED):
            call_command("changepassword", self.teacher.username, stdout=StringIO())
        self.teacher.refresh_from_db()
        self.assertTrue(self.teacher.check_password(OPERATOR_TYPED))
        self.assertTrue(self.teacher.must_change_password)

        self.login(self.teacher)
        response = self.client.get(reverse("core:dashboard", args=[self.school.slug]))
        self.assertRedirects(
            response, reverse("accounts:password_change"), fetch_redirect_response=False
        )

    def test_a_password_reset_by_the_operator_is_written_in_the_audit_log(self):
        with mock.patch("getpass.getpass", return_value=OPERATOR_TYPED):
            call_command("changepassword", self.teacher.username, stdout=StringIO())
        entry = AuditEntry.objects.get(action="account.password_reset")
        self.assertIsNone(entry.actor)
        self.assertIsNone(entry.school)
        self.assertEqual(entry.target, target_label(self.teacher))
        self.assertEqual(entry.details, {"terminal_user": getpass.getuser()})
        self.assertNotIn(OPERATOR_TYPED, str(entry.details))

    def test_a_script_gives_the_password_on_standard_input_without_a_terminal(self):
        with mock.patch("sys.stdin", StringIO(OPERATOR_TYPED + "\n")):
            call_command("changepassword", self.teacher.username, "--stdin", stdout=StringIO())
        self.teacher.refresh_from_db()
        self.assertTrue(self.teacher.check_password(OPERATOR_TYPED))
        self.assertTrue(self.teacher.must_change_password)
        self.assertTrue(AuditEntry.objects.filter(action="account.password_reset").exists())

    def test_a_password_on_standard_input_follows_the_password_rules(self):
        from django.core.management.base import CommandError

        with mock.patch("sys.stdin", StringIO("123\n")), self.assertRaises(CommandError):
            call_command("changepassword", self.teacher.username, "--stdin", stdout=StringIO())
        self.teacher.refresh_from_db()
        self.assertFalse(self.teacher.check_password("123"))
        self.assertFalse(AuditEntry.objects.filter(action="account.password_reset").exists())
