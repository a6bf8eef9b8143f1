"""The registration card, the case file and the reply letter, built once as the document model."""

from trustbox.lib.tests.readers import (
    docx_lines,
    docx_part,
    pdf_info,
    pdf_language,
    pdf_pages,
    unhyphenated,
)
from trustbox.registry.consideration import appeal_note_add
from trustbox.registry.tests.helpers import SIGNED_TEXT
from trustbox.registry.tests.test_documents import DocumentsTestCase


class CardDocumentTestCase(DocumentsTestCase):
    def test_the_cards_pdf_and_docx_say_the_same_lines_in_kyrgyz_and_russian(self):
        self.unlock(self.responsible)
        for language, tag in (("ky", "ky-KG"), ("ru", "ru-RU")):
            pdf = self.client.get(self.url("card", language, "pdf")).content
            docx = self.client.get(self.url("card", language, "docx")).content
            lines = docx_lines(docx)
            words = unhyphenated(" ".join(pdf_pages(pdf)))
            with self.subTest(language=language):
                self.assertIn("Nazira Abdykadyrova, parent", lines)
                self.assertGreaterEqual(len(lines), 28)  # title, school, 13 labels and values
                for line in lines:
                    self.assertIn(unhyphenated(line), words)
                self.assertEqual(pdf_language(pdf), language)
                self.assertEqual(pdf_info(pdf)["Page size"], "595.276 x 841.89 pts (A4)")
                self.assertIn(
                    '<w:pgSz w:w="11906" w:h="16838"/>', docx_part(docx, "word/document.xml")
                )
                self.assertIn(f'w:val="{tag}"', docx_part(docx, "word/styles.xml"))
                self.assertIn(self.appeal.number, docx_part(docx, "docProps/core.xml"))

    def test_the_case_file_is_a_tagged_a4_pdf_in_its_language_with_every_entry(self):
        appeal_note_add(appeal=self.appeal, by=self.responsible, text="Повар\nпоговорить.")
        self.reply()
        self.unlock(self.responsible)
        pdf = self.client.get(self.url("case_file", "ru")).content
        info = pdf_info(pdf)
        self.assertEqual((info["Page size"], info["Tagged"]), ("595.276 x 841.89 pts (A4)", "yes"))
        self.assertEqual(info["Title"], f"Дело обращения № {self.appeal.number}")
        self.assertEqual(pdf_language(pdf), "ru")
        text = "\n".join(pdf_pages(pdf))
        self.assertIn(SIGNED_TEXT, text)
        self.assertIn("Повар\nпоговорить.", text)  # the writer's line break kept
        self.assertIn("We checked the canteen: the soup is hot now.", text)

    def test_the_letter_is_a_tagged_pdf_in_the_writers_language_titled_by_its_subject(self):
        entry = self.reply(text="Мы проверили столовую.\nСуп теперь горячий.")
        self.unlock(self.responsible)
        pdf = self.client.get(self.url("letter", entry.pk, "ru")).content
        info = pdf_info(pdf)
        self.assertEqual(info["Tagged"], "yes")
        self.assertTrue(info["Title"].startswith(f"На обращение № {self.appeal.number} от "))
        self.assertEqual(pdf_language(pdf), "ru")
        text = "\n".join(pdf_pages(pdf))
        self.assertIn("Мы проверили столовую.\nСуп теперь горячий.", text)
        self.assertIn("Nazira Abdykadyrova, parent", text)
        self.assertNotIn(SIGNED_TEXT, text)
