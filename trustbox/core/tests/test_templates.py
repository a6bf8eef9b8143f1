"""The templates stay readable: no line wider than a screen of a code review."""

from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
WIDEST = 200


class TemplateLinesTestCase(SimpleTestCase):
    def test_no_template_line_is_wider_than_200_characters(self):
        wide = [
            f"{path.relative_to(ROOT)}:{number}: {len(line)}"
            for path in sorted(ROOT.glob("*/templates/**/*.html"))
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            if len(line) > WIDEST
        ]
        self.assertEqual(wide, [])
