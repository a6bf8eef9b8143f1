"""The act of removal and the journal of openings: built once, the PDF and the DOCX say the same."""

from unittest import skipUnless

from django.utils import translation

from trustbox.commission.models import Commission
from trustbox.lib.docmodel import document_lines
from trustbox.lib.tests.readers import (
    docx_part,
    docx_to_pdf,
    docx_words,
    flat,
    pdf_info,
    pdf_language,
    pdf_metadata,
    pdf_pages,
    soffice,
    unhyphenated,
)
from trustbox.openings import documents
from trustbox.openings.records import journal_entries
from trustbox.openings.services import seal_code
from trustbox.openings.tests.test_documents import ActOfRemovalTestCase
from trustbox.test import SealedBoxTestCase

LANGUAGES = (("ky", "ky-KG"), ("ru", "ru-RU"))
PORTRAIT, LANDSCAPE = "595.276 x 841.89 pts (A4)", "841.89 x 595.276 pts (A4)"


class OpeningDocumentsTestCase(SealedBoxTestCase):
    open_box = ActOfRemovalTestCase.open_box
    submit_two = ActOfRemovalTestCase.submit_two
    act = ActOfRemovalTestCase.act

    def assertSaysEveryLine(self, document, pdf, docx):
        """Every line of the model is in the PDF's words and in the DOCX's words."""
        pdf_words = unhyphenated(" ".join(pdf_pages(pdf)))
        words = docx_words(docx)
        lines = document_lines(document)
        self.assertGreater(len(lines), 10)
        for line in lines:
            with self.subTest(line=line[:40]):
                self.assertIn(unhyphenated(line), pdf_words)
                self.assertIn(flat(line), words)

    def test_the_acts_pdf_and_docx_say_the_same_lines_in_kyrgyz_and_russian(self):
        self.submit_two()
        opening = self.open_box()
        for language, tag in LANGUAGES:
            data = self.act(opening, language)
            with translation.override(language):
                document = documents.act_document(data, sheets=1, language=language)
            pdf = documents.act_pdf(data=data, language=language)
            docx = documents.act_docx(data=data, language=language)
            with self.subTest(language=language):
                self.assertSaysEveryLine(document, pdf, docx)
                self.assertIn("Nazira Abdykadyrova, 7b", document_lines(document))
                self.assertEqual(pdf_info(pdf)["Page size"], PORTRAIT)
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")
                self.assertIn('pdfaid:part="2" pdfaid:conformance="A"', pdf_metadata(pdf))
                self.assertEqual(pdf_info(pdf)["Title"], document.title)
                self.assertEqual(pdf_language(pdf), language)
                xml = docx_part(docx, "word/document.xml")
                self.assertIn('<w:pgSz w:w="11906" w:h="16838"/>', xml)
                self.assertIn("<w:tblHeader/>", xml)
                self.assertIn(f'w:val="{tag}"', docx_part(docx, "word/styles.xml"))
                self.assertIn(
                    f"<dc:title>{document.title}</dc:title>", docx_part(docx, "docProps/core.xml")
                )

    def test_the_journal_is_a4_landscape_in_both_formats_and_says_the_same_lines(self):
        self.submit_two()
        first = self.open_box()
        second = self.open_box(paper=False)
        for language, tag in LANGUAGES:
            entries = journal_entries([first, second], language)
            arguments = {"school_name": "School alatoo", "entries": entries, "language": language}
            with translation.override(language):
                document = documents.journal_document(**arguments, period="2026")
            pdf = documents.journal_pdf(**arguments, period="2026")
            docx = documents.journal_docx(**arguments, period="2026")
            with self.subTest(language=language):
                self.assertSaysEveryLine(document, pdf, docx)
                self.assertEqual(pdf_info(pdf)["Page size"], LANDSCAPE)
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")
                self.assertIn('pdfaid:part="2" pdfaid:conformance="A"', pdf_metadata(pdf))
                self.assertEqual(pdf_language(pdf), language)
                xml = docx_part(docx, "word/document.xml")
                self.assertIn('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>', xml)
                # 1 : 14 : 4 : 7 of the 14570 twips between the margins of a landscape page.
                self.assertIn('<w:gridCol w:w="560"/><w:gridCol w:w="7845"/>', xml)
                self.assertIn(f'w:val="{tag}"', docx_part(docx, "word/styles.xml"))
                for opening in (first, second):
                    self.assertIn(seal_code(opening), flat(" ".join(pdf_pages(pdf))))

    def test_the_journal_lists_each_signer_once_and_the_chair_once_as_chair(self):
        commission = Commission.objects.current(self.school)
        commission.chair = self.members[0]
        commission.save(update_fields=["chair"])
        opening = self.open_box(paper=False)
        chair = self.members[0].full_name
        for language, title in (("ky", "Төрага"), ("ru", "Председатель")):
            arguments = {
                "school_name": "School alatoo",
                "entries": journal_entries([opening], language),
                "language": language,
            }
            with translation.override(language):
                document = documents.journal_document(**arguments)
            pdf_words = flat(" ".join(pdf_pages(documents.journal_pdf(**arguments))))
            docx_text = docx_words(documents.journal_docx(**arguments))
            lines = document_lines(document)
            with self.subTest(language=language):
                self.assertEqual(
                    [line for line in lines if chair in line], [f"{title}: {chair} ________"]
                )
                for member in self.members[1:3]:
                    self.assertEqual(lines.count(f"{member.full_name} ________"), 1)
                self.assertEqual(pdf_words.count(chair), 1)
                self.assertEqual(docx_text.count(chair), 1)

    @skipUnless(soffice(), "LibreOffice Writer (soffice) is not installed on this machine")
    def test_libreoffice_opens_the_journal_as_a4_landscape_with_its_seal_codes(self):
        opening = self.open_box(paper=False)
        entries = journal_entries([opening], "ru")
        docx = documents.journal_docx(school_name="School alatoo", entries=entries, language="ru")
        pdf = docx_to_pdf(docx)
        size = pdf_info(pdf)["Page size"]
        width, height = (float(value) for value in size.split(" pts")[0].split(" x "))
        self.assertTrue(size.endswith("(A4)") and width > height, size)
        words = flat(" ".join(pdf_pages(pdf)))
        self.assertIn("Журнал", words)
        self.assertIn(seal_code(opening), words)
        self.assertIn(self.members[2].full_name, words)
