import os
import stat
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.schools.models import District, Membership, School
from trustbox.test import BaseTestCase

HEADER = (
    "district_slug,district_name,school_slug,school_name,"
    "director_login,director_name,director_email\n"
)
GOOD = HEADER + (
    "kara-suu,Кара-Суу району,myrzakmatov,С. Мырзакматов атындагы орто мектеби,"
    "jypar,Бектурганова Жыпар,jypar@school.kg\n"
    "kara-suu,,balasagyn,Ж. Баласагын атындагы мектеп-гимназиясы,aibek,Асанов Айбек,\n"
    "osh-city,Ош шаары,osh-5,№ 5 мектеп,,,\n"
)


class RolloutTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.passwords = self.folder / "passwords.csv"

    def file(self, text: str, encoding: str = "utf-8") -> Path:
        path = self.folder / "rollout.csv"
        path.write_text(text, encoding=encoding)
        return path

    def load(self, text: str, *options: str, encoding: str = "utf-8") -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        try:
            call_command(
                "schools",
                "import",
                str(self.file(text, encoding)),
                "--passwords",
                str(self.passwords),
                *options,
                stdout=out,
                stderr=err,
            )
        finally:
            self.err = err.getvalue()
        return out.getvalue(), err.getvalue()

    def test_a_rollout_file_makes_districts_schools_and_directors(self):
        output, _err = self.load(GOOD)
        self.assertIn("New — districts: 2, schools: 3, directors: 2.", output)
        self.assertEqual(District.objects.get(slug="kara-suu").name, "Кара-Суу району")
        school = School.objects.get(slug="balasagyn")
        self.assertEqual(school.district.slug, "kara-suu")
        director = User.objects.get(username="jypar")
        self.assertEqual(director.email, "jypar@school.kg")
        self.assertTrue(director.must_change_password)
        self.assertEqual(
            Membership.objects.get(user=director).kind,
            Membership.Kind.DIRECTOR,
        )
        self.assertEqual(
            AuditEntry.objects.filter(action="person.director_invite", school=school).count(), 1
        )
        self.assertEqual(
            AuditEntry.objects.filter(action="school.district_add", school=None).count(), 2
        )

    def test_the_initial_passwords_go_to_a_file_for_its_owner_only_never_to_the_screen(self):
        output, err = self.load(GOOD)
        self.assertEqual(stat.S_IMODE(os.stat(self.passwords).st_mode), 0o600)
        raw = self.passwords.read_bytes()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))  # the BOM: Excel reads it as UTF-8
        lines = raw.decode("utf-8-sig").split("\r\n")
        self.assertEqual(
            lines[0], "school_slug;school_name;director_login;director_name;initial_password"
        )
        self.assertIn(";С. Мырзакматов атындагы орто мектеби;jypar;Бектурганова Жыпар;", lines[1])
        passwords = {line.split(";")[2]: line.split(";")[4] for line in lines[1:3]}
        self.assertEqual(set(passwords), {"jypar", "aibek"})
        for login, password in passwords.items():
            self.assertTrue(User.objects.get(username=login).check_password(password))
            self.assertNotIn(password, output + err)
        self.assertIn(str(self.passwords), output)

    def test_running_the_same_file_twice_changes_nothing_and_says_so(self):
        self.load(GOOD)
        self.passwords.unlink()
        counts = (User.objects.count(), School.objects.count(), AuditEntry.objects.count())
        output, _err = self.load(GOOD)
        self.assertIn("Already there — districts: 2, schools: 3, directors: 2.", output)
        self.assertIn("Nothing to change", output)
        self.assertEqual(
            (User.objects.count(), School.objects.count(), AuditEntry.objects.count()), counts
        )
        self.assertFalse(self.passwords.exists())

    def test_a_dry_run_reports_what_it_would_make_and_writes_nothing(self):
        counts = (User.objects.count(), School.objects.count(), AuditEntry.objects.count())
        output, _err = self.load(GOOD, "--dry-run")
        self.assertIn("New — districts: 2, schools: 3, directors: 2.", output)
        self.assertIn("Dry run: nothing was written.", output)
        self.assertEqual(
            (User.objects.count(), School.objects.count(), AuditEntry.objects.count()), counts
        )
        self.assertFalse(self.passwords.exists())

    def test_bad_rows_are_named_by_row_column_and_reason_and_nothing_is_written(self):
        bad = GOOD + (
            "kara-suu,Другое имя,school-4,Школа 4,,,\n"  # row 5: another name for a district
            "new-district,,school-5,Школа 5,,,\n"  # row 6: a new district without its name
            "kara-suu,,Bad Slug,Школа 6,,,\n"  # row 7
            "kara-suu,,myrzakmatov,Again,,,\n"  # row 8: the same school twice
            "kara-suu,,school-9,Школа 9,jypar,Someone,\n"  # row 9: a login used above
            "kara-suu,,school-10,Школа 10,alatoo-director,Someone,\n"  # row 10: a taken login
            "kara-suu,,school-11,Школа 11,x11,,not-an-email\n"  # row 11
            "kara-suu,,alatoo,School alatoo,,,\n"  # row 12: there, in another district
            ",,school-13,,,,\n"  # row 13: no name
        )
        counts = (User.objects.count(), School.objects.count(), AuditEntry.objects.count())
        with self.assertRaisesMessage(CommandError, "Nothing was written"):
            self.load(bad)
        for expected in (
            "row 5, district_name: District kara-suu is already named Кара-Суу району.",
            "row 6, district_name: A new district needs its name.",
            "row 7, school_slug: Bad Slug is not a short name",
            "row 8, school_slug: This school is already in an earlier row.",
            "row 9, director_login: This login is already in an earlier row.",
            "row 10, director_login: This login is taken.",
            "row 11, director_name: The name is empty.",
            "row 11, director_email: not-an-email is not an email address.",
            "row 12, district_slug: School alatoo is already in district ala-too.",
            "row 13, school_name: The name is empty.",
            "10 problems in the file.",
        ):
            self.assertIn(expected, self.err)
        self.assertEqual(
            (User.objects.count(), School.objects.count(), AuditEntry.objects.count()), counts
        )
        self.assertFalse(self.passwords.exists())

    def test_a_header_with_unknown_or_missing_columns_is_refused(self):
        with self.assertRaises(CommandError):
            self.load("school,name\nx,y\n")
        self.assertIn("row 1, school: Unknown column.", self.err)
        self.assertIn("row 1, school_slug: This column is missing.", self.err)

    def test_a_spreadsheet_export_with_semicolons_and_a_byte_order_mark_is_read(self):
        text = "school_slug;school_name;director_login;director_name\nsemi;Школа;semi-dir;Имя\n"
        output, _err = self.load(text, encoding="utf-8-sig")
        self.assertIn("New — districts: 0, schools: 1, directors: 1.", output)
        self.assertTrue(School.objects.filter(slug="semi", district=None).exists())

    def test_a_director_is_added_to_a_school_that_was_imported_without_one(self):
        self.load(HEADER + "osh-city,Ош шаары,osh-5,№ 5 мектеп,,,\n")
        self.assertFalse(self.passwords.exists())  # no director, no passwords file
        output, _err = self.load(HEADER + "osh-city,,osh-5,№ 5 мектеп,osh5-dir,Директор,\n")
        self.assertIn("New — districts: 0, schools: 0, directors: 1.", output)
        self.assertEqual(
            User.objects.get(username="osh5-dir").memberships.get().school.slug, "osh-5"
        )
