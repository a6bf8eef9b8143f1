from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.schools.models import District, Membership, School
from trustbox.test import BaseTestCase


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_password(output: str) -> str:
    line = next(line for line in output.splitlines() if "Initial password" in line)
    return line.rsplit(" ", 1)[1]


@override_settings(
    SITE_URL="https://trustbox.example.kg",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
class FirstSchoolTestCase(BaseTestCase):
    def invite(self, *extra: str) -> str:
        run("district", "add", "--slug", "kara-suu", "--name", "Кара-Суу району")
        run(
            "school",
            "add",
            "--slug",
            "myrzakmatov",
            "--name",
            "С. Мырзакматов атындагы орто мектеби",
            "--district",
            "kara-suu",
        )
        return run(
            "director",
            "invite",
            "--school",
            "myrzakmatov",
            "--name",
            "Бектурганова Жыпар",
            "--login",
            "jypar",
            *extra,
        )

    def test_the_operator_sets_up_a_district_a_school_and_its_director_without_the_demo(self):
        output = self.invite("--by", self.operator.username)
        school = School.objects.get(slug="myrzakmatov")
        self.assertEqual(school.district, District.objects.get(slug="kara-suu"))
        director = User.objects.get(username="jypar")
        self.assertEqual(director.full_name, "Бектурганова Жыпар")
        self.assertTrue(director.must_change_password)
        self.assertTrue(
            Membership.objects.filter(
                user=director, school=school, kind=Membership.Kind.DIRECTOR
            ).exists()
        )
        self.assertTrue(director.check_password(printed_password(output)))
        self.assertIn("https://trustbox.example.kg/accounts/login/", output)
        self.assertIn("in person or by phone", output)
        self.assertEqual(mail.outbox, [])
        entries = {
            entry.action: entry
            for entry in AuditEntry.objects.filter(
                action__in=[
                    "school.district_add",
                    "school.add",
                    "person.director_invite",
                    "person.add",
                ]
            ).exclude(school__in=[self.school, self.other_school])
        }
        self.assertIsNone(entries["school.district_add"].school)
        self.assertEqual(entries["school.add"].school, school)
        self.assertEqual(entries["person.director_invite"].school, school)
        self.assertEqual(entries["person.director_invite"].actor, self.operator)
        self.assertEqual(entries["person.director_invite"].target, f"accounts.user:{director.pk}")
        self.assertEqual(entries["person.add"].details, {"kind": "director"})

    def test_the_invitation_email_holds_the_address_and_the_login_but_never_the_password(self):
        output = self.invite("--email", "jypar@school.kg")
        password = printed_password(output)
        self.assertIn("emailed to jypar@school.kg", output)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["jypar@school.kg"])
        # In Kyrgyz, the school's language: a new director has chosen none yet.
        for part in assert_mail(self, message, language="ky", secrets=[password]):
            self.assertIn("https://trustbox.example.kg/accounts/login/", part)
            self.assertIn("jypar", part)
        self.assertEqual(User.objects.get(username="jypar").email, "jypar@school.kg")

    def test_the_invited_director_sets_up_the_second_factor_then_chooses_a_password(self):
        password = printed_password(self.invite())
        response = self.client.post(
            reverse("accounts:login"), {"username": "jypar", "password": password}
        )
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )
        response = self.client.get(reverse("accounts:second_factor"))
        self.assertTrue(response.context["setting_up"])
        director = User.objects.get(username="jypar")
        device = TOTPDevice.objects.get(user=director)
        device.confirmed = True
        device.save()
        self.login(director)
        response = self.client.get(reverse("schools:people", args=["myrzakmatov"]))
        self.assertRedirects(
            response, reverse("accounts:password_change"), fetch_redirect_response=False
        )

    def test_taken_short_names_and_logins_are_refused_with_a_reason(self):
        self.invite()
        run("school", "add", "--slug", "second", "--name", "Second school")
        for args, reason in (
            (("district", "add", "--slug", "kara-suu", "--name", "x"), "already a district"),
            (("district", "add", "--slug", "Kara Suu", "--name", "x"), "not a short name"),
            (("school", "add", "--slug", "alatoo", "--name", "x"), "already a school"),
            (
                ("school", "add", "--slug", "new", "--name", "x", "--district", "nowhere"),
                "No district",
            ),
            (
                ("director", "invite", "--school", "balasagyn", "--name", "X", "--login", "y"),
                "No school",
            ),
            (
                (
                    "director",
                    "invite",
                    "--school",
                    "myrzakmatov",
                    "--name",
                    "X",
                    "--login",
                    "other",
                ),
                "already has a director: jypar",
            ),
            (
                ("director", "invite", "--school", "second", "--name", "X", "--login", "jypar"),
                "This login is taken",
            ),
            (
                ("director", "invite", "--school", "second", "--name", "X", "--login", "a b"),
                "small Latin letters",
            ),
        ):
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, reason):
                run(*args)
        self.assertEqual(User.objects.filter(username__iexact="jypar").count(), 1)

    def test_the_lists_show_districts_and_schools_with_their_directors(self):
        self.invite()
        self.assertRegex(run("district", "list"), r"kara-suu\s+1\s+Кара-Суу району")
        self.assertRegex(
            run("school", "list", "--district", "kara-suu"), r"myrzakmatov\s+kara-suu\s+jypar"
        )
        self.assertNotIn("alatoo", run("school", "list", "--district", "kara-suu"))
