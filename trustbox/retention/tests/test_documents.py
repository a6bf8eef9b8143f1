"""The act of destruction prints in Kyrgyz and Russian, PDF and DOCX, with no text of a case."""

from django.urls import reverse
from django.utils import translation

from trustbox.lib.docmodel import document_lines
from trustbox.lib.tests.readers import docx_words, flat, pdf_info, pdf_pages, unhyphenated
from trustbox.retention import documents
from trustbox.retention.services import act_draw_up, act_sign
from trustbox.retention.tests.helpers import RetentionSteps
from trustbox.test import PASSWORD, BaseTestCase

LANDSCAPE = "841.89 x 595.276 pts (A4)"
TITLES = {
    "ky": "Сактоо мөөнөтү өткөн иштерди жок кылуу",
    "ru": "об уничтожении дел с истёкшим сроком хранения",
}


class ActOfDestructionDocumentsTestCase(RetentionSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.act = act_draw_up(meeting=cls.decide(cls), by=cls.responsible)
        act_sign(act=cls.act, member=cls.members[1], password=PASSWORD)

    def test_the_pdf_and_the_docx_say_every_line_in_kyrgyz_and_russian(self):
        numbers = [line["number"] for line in self.act.content["lines"]]
        for language in ("ky", "ru"):
            with self.subTest(language=language):
                with translation.override(language):
                    document = documents.act_document(
                        self.act, documents.act_signed(self.act), language=language
                    )
                pdf = documents.act_pdf(self.act, language=language)
                docx = documents.act_docx(self.act, language=language)
                pdf_words = unhyphenated(" ".join(pdf_pages(pdf)))
                words = docx_words(docx)
                lines = document_lines(document)
                self.assertGreater(len(lines), 20)
                for line in lines:
                    self.assertIn(unhyphenated(line), pdf_words)
                    self.assertIn(flat(line), words)
                self.assertIn(TITLES[language], document.title)
                for number in numbers:
                    self.assertIn(number, pdf_words)
                    self.assertIn(number, words)
                # Who signed, by name; the writer of a case never (the act has no such field).
                self.assertIn(self.members[1].full_name, words)
                self.assertEqual(pdf_info(pdf)["Page size"], LANDSCAPE)
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")

    def test_members_and_the_director_download_the_act_strangers_do_not(self):
        url = reverse("retention:document", args=[self.school.slug, self.act.pk, "ru", "docx"])
        self.login(self.director)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.act.content["lines"][0]["number"], docx_words(response.content))
        self.login(self.teacher)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.other_director)
        self.assertEqual(self.client.get(url).status_code, 404)
