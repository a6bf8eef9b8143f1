"""Every download button names its language and format one way, in the language of the page."""

import re
from pathlib import Path

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from trustbox.lib.languages import download_label

TRUSTBOX = Path(__file__).resolve().parents[2]


class DownloadLabelTestCase(SimpleTestCase):
    def test_the_buttons_read_the_same_in_each_language_of_the_page(self):
        expected = {
            "ky": ["Кыргызча PDF", "Орусча PDF", "Кыргызча Word", "Орусча Word", "Англисче PDF"],
            "ru": [
                "PDF на кыргызском",
                "PDF на русском",
                "Word на кыргызском",
                "Word на русском",
                "PDF на английском",
            ],
            "en": ["PDF in Kyrgyz", "PDF in Russian", "Word in Kyrgyz", "Word in Russian"],
        }
        asked = [("ky", "pdf"), ("ru", "pdf"), ("ky", "docx"), ("ru", "docx"), ("en", "pdf")]
        for page, labels in expected.items():
            with translation.override(page), self.subTest(page=page):
                found = [download_label(language, fmt) for language, fmt in asked]
                self.assertEqual(found[: len(labels)], labels)

    def test_the_template_filter_gives_the_same_words(self):
        template = Template(
            '{% load trustbox %}{{ "ru"|download_label }} · {{ "ky"|download_label:"docx" }}'
        )
        with translation.override("ky"):
            self.assertEqual(template.render(Context()), "Орусча PDF · Кыргызча Word")

    def test_no_template_names_a_download_by_hand(self):
        """Each button goes through download_label: no «Русский</span> PDF», no "PDF ky"."""
        by_hand = re.compile(
            r"</span> (PDF|DOCX)|(PDF|DOCX) \{\{|translate \"(PDF|Word) in |>\s*(PDF|DOCX)\s*<"
        )
        offenders = [
            str(path.relative_to(TRUSTBOX))
            for path in TRUSTBOX.glob("*/templates/**/*.html")
            if by_hand.search(path.read_text())
        ]
        self.assertEqual(offenders, [])
