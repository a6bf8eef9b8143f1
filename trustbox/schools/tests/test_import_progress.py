"""A long `schools import` tells how far it has got, on stderr (issue 23, point 8)."""

import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command

from trustbox.accounts.models import User
from trustbox.schools.models import School
from trustbox.schools.services import InitialPasswordHasher
from trustbox.test import BaseTestCase

HEADER = (
    "district_slug,district_name,school_slug,school_name,"
    "director_login,director_name,director_email\n"
)
ROWS = 150  # any number of rows over ten tells each tenth: 150 is as long as 1,500 here


class FastInitialPasswordHasher(InitialPasswordHasher):
    """The least Argon2 allows: the test counts lines, not the cost of a hash."""

    memory_cost = 8


def rollout(rows: int) -> str:
    return HEADER + "".join(
        f"kara-suu,Кара-Суу району,school-{n},№ {n} мектеп,director{n},Director {n},\n"
        for n in range(rows)
    )


class ImportProgressTestCase(BaseTestCase):
    def import_file(self, text: str) -> tuple[str, str]:
        folder = Path(tempfile.mkdtemp())
        path = folder / "rollout.csv"
        path.write_text(text, encoding="utf-8")
        out, err = StringIO(), StringIO()
        with mock.patch(
            "trustbox.schools.services.InitialPasswordHasher", FastInitialPasswordHasher
        ):
            call_command(
                "schools",
                "import",
                str(path),
                "--passwords",
                str(folder / "passwords.csv"),
                stdout=out,
                stderr=err,
            )
        return out.getvalue(), err.getvalue()

    def test_a_long_import_tells_each_tenth_written_on_stderr(self):
        out, err = self.import_file(rollout(ROWS))
        lines = [line for line in err.splitlines() if line.startswith("Written:")]
        self.assertEqual(
            lines,
            [
                f"Written: {tenth * 10}% ({tenth * 30} of 300 schools and directors)."
                for tenth in range(1, 11)
            ],
        )
        self.assertNotIn("Written:", out)
        self.assertEqual(School.objects.filter(slug__startswith="school-").count(), ROWS)
        self.assertEqual(User.objects.filter(username__startswith="director").count(), ROWS)

    def test_a_short_import_tells_no_more_than_ten_lines(self):
        _out, err = self.import_file(rollout(3))
        lines = [line for line in err.splitlines() if line.startswith("Written:")]
        # 6 schools and directors: a line at each one that crosses a tenth, 100% last.
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines[-1], "Written: 100% (6 of 6 schools and directors).")
