"""The writer's status page of a destroyed case says by which act and on which day (issue 24)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from trustbox.box.tests.helpers import CLIENT_IP
from trustbox.lib.dates import Case, long_date_in_text
from trustbox.registry.destruction import appeal_destroy
from trustbox.registry.tests.test_withdrawal import STATUS_URL, AnsweredAppealTestCase, plain
from trustbox.registry.withdrawal import appeal_close_withdrawn
from trustbox.registry.writer import writer_close_ask

ACT = "destruction act 3/2026"


class DestroyedCaseStatusTestCase(AnsweredAppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        writer_close_ask(found=self.found())
        appeal_close_withdrawn(appeal=self.appeal, by=self.responsible)
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        self.day = timezone.localdate()

    def status(self, language: str) -> str:
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
        page = self.client.post(STATUS_URL, {"code": self.receipt.code}, REMOTE_ADDR=CLIENT_IP)
        self.assertEqual(page.status_code, 200)
        return plain(page)

    def test_the_kyrgyz_page_names_the_act_of_destruction_and_its_day(self):
        text = self.status("ky")
        self.assertIn("Жабылды; анын иш папкасы жок кылынды.", text)
        self.assertIn("комиссиянын № 3/2026 жок кылуу актысы менен", text)
        self.assertIn(long_date_in_text(self.day, "ky", Case.LOCATIVE) + " жок кылынды", text)
        self.assertNotIn("Жабылды.", text.replace("Жабылды;", ""))

    def test_the_russian_page_names_the_act_of_destruction_and_its_day(self):
        text = self.status("ru")
        self.assertIn("Закрыто; его дело уничтожено.", text)
        self.assertIn(
            f"по акту комиссии об уничтожении № 3/2026 от {long_date_in_text(self.day, 'ru')}.",
            text,
        )
        self.assertNotIn("Закрыто.", text)
