"""The quarterly report and the district's report, built once as the document model."""

from __future__ import annotations

import datetime
import re
import subprocess

from django.utils import translation

from trustbox.lib.docmodel import Heading, Paragraph, document_lines
from trustbox.lib.tests.readers import (
    docx_part,
    docx_words,
    figure_descriptions,
    flat,
    pdf_info,
    pdf_language,
    pdf_metadata,
    pdf_pages,
    unhyphenated,
)
from trustbox.reports import report_layout
from trustbox.reports.charts import Chart, Series
from trustbox.reports.district import district_view
from trustbox.reports.district_report import district_document, district_pdf
from trustbox.reports.documents import ReportText, Section, charts_svg, report_text
from trustbox.reports.documents import Table as ReportTable
from trustbox.reports.figures import school_figures
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.periods import Quarter
from trustbox.test import BaseTestCase

Q3 = Quarter(2026, 3)
PDF_A_2A = 'pdfaid:part="2" pdfaid:conformance="A"'
LANGUAGES = (("ky", "ky-KG"), ("ru", "ru-RU"))


def last_lines(pdf: bytes) -> list[str]:
    """The last line of words on each page, as `pdftotext -layout -f N -l N` reads it (the
    page number "2 / 3" of the footer left out)."""
    pages = int(pdf_info(pdf)["Pages"])
    found = []
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        lines = [flat(line) for line in text.splitlines() if line.strip()]
        footer = re.compile(rf"^\d+ ?/ ?{pages}$")
        found.append(next(line for line in reversed(lines) if not footer.match(line)))
    return found


def hand_made_report() -> tuple[bytes, list[str]]:
    """A short Russian report with one chart, written by hand (no database): its Word file
    and every line it says, for LibreOffice to read back."""
    chart = Chart("Обращения по категориям", ["Столовая и питание"], [Series("Квартал", [2])])
    section = Section("1. Поступившие обращения", ["Поступило 2 обращения."], charts=["c"])
    section.tables.append(ReportTable("По категориям", ["Категория", "Квартал"], [["Учёба", "2"]]))
    text = ReportText(
        title="Аналитический отчёт",
        school="Школа № 5",
        period="За 3-й квартал 2026 г.",
        sections=[section],
        signature_lines=["Подготовила ответственное лицо: Айда"],
        charts={"c": chart},
    )
    with translation.override("ru"):
        document = report_layout.report_document(text, {}, media="image/png", language="ru")
        return report_layout.text_docx(text), document_lines(document)


class ReportDocumentTestCase(BaseTestCase):
    """The report of a quarter with two appeals, its PDF and DOCX made once in ky and ru."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        day = datetime.date(2026, 7, 6)
        appeals_make(
            cls.school,
            cls.responsible,
            [Spec(day), Spec(day, category="canteen", outcome="psychologist")],
        )
        cls.files = {}
        for language, _tag in LANGUAGES:
            text = cls.text(language)
            with translation.override(language):
                svgs = charts_svg(text)
                document = report_layout.report_document(
                    text, svgs, media="image/svg+xml", language=language
                )
                pdf = report_layout.text_pdf(text, svgs)
                docx = report_layout.text_docx(text)
            cls.files[language] = (text, document, pdf, docx)

    @classmethod
    def text(cls, language: str, analysis: str = "We looked at the canteen.") -> ReportText:
        with translation.override(language):
            return report_text(
                school_name=cls.school.name,
                figures=school_figures(cls.school, Q3.start, Q3.end),
                analysis=analysis,
                proposals="Hot soup.",
                prepared_by="Aida Responsible",
            )

    def test_the_reports_pdf_and_docx_say_every_line_in_kyrgyz_and_russian(self):
        for language, tag in LANGUAGES:
            text, document, pdf, docx = self.files[language]
            pdf_words, words = unhyphenated(" ".join(pdf_pages(pdf))), docx_words(docx)
            lines = document_lines(document)
            with self.subTest(language=language):
                self.assertGreater(len(lines), 60)
                for line in lines:
                    self.assertIn(unhyphenated(line), pdf_words, line)
                    self.assertIn(flat(line), words, line)
                xml = docx_part(docx, "word/document.xml")
                self.assertIn('<w:pgSz w:w="11906" w:h="16838"/>', xml)
                self.assertIn(f'w:val="{tag}"', docx_part(docx, "word/styles.xml"))
                self.assertEqual(xml.count("<pic:pic"), len(text.charts))

    def test_the_reports_charts_are_figures_a_screen_reader_tells_in_words(self):
        text, _document, pdf, docx = self.files["ru"]
        described = [report_layout.chart_description(chart) for chart in text.charts.values()]
        self.assertEqual(len(described), 3)
        self.assertIn("Столовая и питание — 1", described[0])
        self.assertEqual(sorted(figure_descriptions(pdf)), sorted(described))
        xml = docx_part(docx, "word/document.xml")
        for description in described:
            self.assertIn(f'descr="{description}"', xml)

    def test_the_reports_pdf_claims_pdf_a_2a_is_tagged_and_says_its_language(self):
        for language, _tag in LANGUAGES:
            text, _document, pdf, _docx = self.files[language]
            with self.subTest(language=language):
                self.assertIn(PDF_A_2A, pdf_metadata(pdf))
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")
                self.assertEqual(pdf_info(pdf)["Title"], text.title)
                self.assertEqual(pdf_language(pdf), language)

    def test_no_page_of_a_long_report_ends_with_a_heading_or_a_tables_title(self):
        """The analysis grows a line at a time, so that what follows it (the next heading, the
        signature lines) comes to every place near the bottom of page 3; none is ever the last
        line of its page (without `break-after: avoid`, 16 and 17 lines leave "Prepared by"
        alone at the bottom)."""
        stranded = []
        for lines in range(15, 19):
            text = self.text("ky", "\n".join(f"{n}. Талдоо." for n in range(lines)))
            with translation.override("ky"):
                document = report_layout.report_document(
                    text, {}, media="image/svg+xml", language="ky"
                )
                pdf = report_layout.text_pdf(text, {})
            kept = {
                flat(block.text)
                for block in document.blocks
                if isinstance(block, Heading)
                or (isinstance(block, Paragraph) and block.keep_with_next)
                if isinstance(block.text, str)
            }
            self.assertGreater(len(kept), 15)
            pages = last_lines(pdf)
            self.assertGreater(len(pages), 1)
            stranded += [line for line in pages if line in kept]
        self.assertEqual(stranded, [])


class DistrictReportTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        day = datetime.date(2026, 7, 6)
        appeals_make(cls.school, cls.responsible, [Spec(day), Spec(day, category="canteen")])

    def test_the_district_report_says_every_line_is_pdf_a_2a_tagged_in_kyrgyz_and_russian(self):
        for language, _tag in LANGUAGES:
            with translation.override(language):
                document = district_document(district_view(self.district, Q3), language=language)
                pdf = district_pdf(self.district, Q3)
            # Narrow columns' titles wrap beside each other: each line's words, in any order.
            words = "".join(unhyphenated(" ".join(pdf_pages(pdf))).split())
            lines = document_lines(document)
            with self.subTest(language=language):
                self.assertGreater(len(lines), 40)
                self.assertIn(self.school.name, lines)
                for line in lines:
                    for word in unhyphenated(line).split():
                        self.assertIn(word, words, line)
                self.assertIn(PDF_A_2A, pdf_metadata(pdf))
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")
                self.assertEqual(pdf_info(pdf)["Title"], document.title)
                self.assertEqual(pdf_language(pdf), language)
