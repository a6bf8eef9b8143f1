"""The protocol, built once: its PDF and its DOCX say the same and both carry the QR code."""

from unittest import skipUnless

from django.utils import translation

from trustbox.lib.docmodel import QrCode, Table, document_lines
from trustbox.lib.tests.readers import (
    docx_part,
    docx_parts,
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
from trustbox.meetings.documents import (
    protocol_document,
    protocol_docx,
    protocol_pdf,
    protocol_text,
    verify_link,
)
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.test import PASSWORD, BaseTestCase


class ProtocolDocumentModelTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def signed(self):
        protocol = self.drafted()
        for member in self.members[:3]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        return protocol

    def test_the_protocols_pdf_and_docx_say_the_same_lines_in_kyrgyz_and_russian(self):
        protocol = self.signed()
        opener = self.opener()
        for language, tag in (("ky", "ky-KG"), ("ru", "ru-RU")):
            with translation.override(language):
                document = protocol_document(protocol_text(protocol, opener=opener), language)
            pdf = protocol_pdf(protocol=protocol, language=language, opener=opener)
            docx = protocol_docx(protocol=protocol, language=language, opener=opener)
            pdf_words = unhyphenated(" ".join(pdf_pages(pdf)))
            words = docx_words(docx)
            with self.subTest(language=language):
                lines = document_lines(document)
                self.assertIn("Hang the poster in every classroom.", " ".join(lines))
                for line in lines:
                    self.assertIn(unhyphenated(line), pdf_words, line)
                    self.assertIn(flat(line), words, line)
                self.assertEqual(pdf_language(pdf), language)
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")
                self.assertIn('pdfaid:part="2" pdfaid:conformance="A"', pdf_metadata(pdf))
                self.assertEqual(pdf_info(pdf)["Title"], document.title)
                self.assertIn(f'w:val="{tag}"', docx_part(docx, "word/styles.xml"))
                self.assertIn(
                    '<w:pgSz w:w="11906" w:h="16838"/>', docx_part(docx, "word/document.xml")
                )

    def test_the_docx_carries_the_qr_code_and_the_verification_code_in_its_footer(self):
        protocol = self.signed()
        docx = protocol_docx(protocol=protocol, language="ru", opener=self.opener())
        self.assertEqual(len(docx_parts(docx, r"word/media/.*\.png")), 1)
        (footer,) = docx_parts(docx, r"word/footer\d*\.xml")
        self.assertIn(protocol.verify_code_display, docx_part(docx, footer))
        self.assertIn('w:instr="PAGE"', docx_part(docx, footer))
        with translation.override("ru"):
            document = protocol_document(protocol_text(protocol, opener=self.opener()), "ru")
        (qr,) = [block for block in document.blocks if isinstance(block, QrCode)]
        self.assertEqual(qr.data, verify_link(protocol))

    def test_the_signature_table_is_kept_on_one_page_with_its_heading(self):
        protocol = self.signed()
        with translation.override("en"):
            text = protocol_text(protocol, opener=self.opener())
            blocks = protocol_document(text, "en").blocks
        tables = [block for block in blocks if isinstance(block, Table)]
        signatures = tables[-1]
        self.assertTrue(signatures.keep_together)
        self.assertEqual(len(signatures.rows), len(self.members))
        index = blocks.index(signatures)
        self.assertTrue(blocks[index - 1].keep_with_next)  # the note under the heading
        docx = protocol_docx(protocol=protocol, language="en", opener=self.opener())
        xml = docx_part(docx, "word/document.xml")
        start = xml.rindex("<w:tbl>", 0, xml.index(text.signature_columns[1]))
        table = xml[start:].split("</w:tbl>")[0]
        self.assertEqual(table.count("<w:tblHeader/>"), 1)
        self.assertEqual(table.count("<w:cantSplit/>"), len(self.members) + 1)
        # Every row but the last is kept with the next: the table moves whole to the next page.
        self.assertGreaterEqual(table.count("<w:keepNext/>"), len(self.members))

    @skipUnless(soffice(), "LibreOffice Writer (soffice) is not installed on this machine")
    def test_libreoffice_opens_the_protocol_with_its_signers_and_code(self):
        protocol = self.signed()
        pdf = docx_to_pdf(protocol_docx(protocol=protocol, language="ky", opener=self.opener()))
        self.assertTrue(pdf_info(pdf)["Page size"].endswith("(A4)"))
        words = flat(" ".join(pdf_pages(pdf)))
        for member in self.members:
            self.assertIn(member.full_name, words)
        self.assertIn(protocol.verify_code_display, words)
