"""An act of destruction that cannot be completed is withdrawn; its cases go into another act."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trustbox.audit.models import AuditEntry
from trustbox.lib.tests.readers import docx_words, pdf_pages, unhyphenated
from trustbox.registry.models import Appeal, Status
from trustbox.retention import documents
from trustbox.retention.actions import RetentionAction
from trustbox.retention.models import ActLine
from trustbox.retention.selectors import cases_past_period
from trustbox.retention.services import act_destroy, act_draw_up, act_sign
from trustbox.retention.tests.helpers import RetentionSteps
from trustbox.retention.withdrawal import act_withdraw
from trustbox.test import PASSWORD, BaseTestCase

REASON = "Member Asanova left the commission before signing"
WITHDRAWN = {
    "ky": "комиссия тарабынан жокко чыгарылды",
    "ru": "отозван комиссией",
}


class WithdrawnActTestCase(RetentionSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()  # members[1] the chair, members[2] the secretary

    def setUp(self):
        super().setUp()
        self.act = act_draw_up(meeting=self.decide(), by=self.responsible)
        act_sign(act=self.act, member=self.members[0], password=PASSWORD)
        self.page = reverse("retention:act", args=[self.school.slug, self.act.pk])
        self.withdraw = reverse("retention:withdraw", args=[self.school.slug, self.act.pk])
        self.past = {self.cases["old"], self.cases["old_referred"]}

    def test_the_secretary_withdraws_an_unfinished_act_and_its_cases_go_into_another(self):
        self.login(self.responsible)
        self.assertNotContains(self.client.get(self.page), self.withdraw)
        self.assertEqual(self.client.post(self.withdraw, {"reason": REASON}).status_code, 403)
        self.login(self.members[2])  # the secretary
        self.assertContains(self.client.get(self.page), self.withdraw)
        self.assertRedirects(self.client.post(self.withdraw, {"reason": REASON}), self.page)
        self.act.refresh_from_db()
        self.assertEqual(self.act.withdrawn_by, self.members[2])
        entry = AuditEntry.objects.get(action=RetentionAction.WITHDRAW.value)
        self.assertEqual((entry.details["cases"], entry.details["reason"]), (2, REASON))
        self.assertEqual(set(cases_past_period(self.school, timezone.localdate())), self.past)
        page = self.client.get(self.page)
        self.assertContains(page, REASON)
        self.assertContains(page, "Withdrawn by the commission; it destroys nothing.")
        self.assertNotContains(page, self.withdraw)
        self.login(self.members[3])
        self.assertNotContains(self.client.get(self.page), 'name="password"')
        dashboard = reverse("core:dashboard", args=[self.school.slug])
        self.assertNotContains(self.client.get(dashboard), "Sign the act of destruction")
        with self.assertRaisesMessage(ValidationError, "was withdrawn"):
            act_sign(act=self.act, member=self.members[3], password=PASSWORD)
        with self.assertRaisesMessage(ValidationError, "was withdrawn"):
            act_destroy(act=self.act, by=self.responsible)
        self.assertFalse(Appeal.objects.filter(destroyed_on__isnull=False).exists())
        second = act_draw_up(meeting=self.decide(), by=self.responsible)
        self.assertEqual(second.number, 2)
        self.assertEqual({line.appeal for line in second.lines.all()}, self.past)

    def test_an_act_with_a_destroyed_case_is_not_withdrawn(self):
        Appeal.objects.filter(pk=self.cases["old"].pk).update(status=Status.CONSIDERING)
        for member in self.members[1:]:
            act_sign(act=self.act, member=member, password=PASSWORD)
        self.assertIsNotNone(Appeal.objects.get(pk=self.cases["old_referred"].pk).destroyed_on)
        with self.assertRaisesMessage(ValidationError, "can no longer be withdrawn"):
            act_withdraw(act=self.act, by=self.members[2], reason=REASON)
        self.assertEqual(ActLine.objects.filter(act=self.act).count(), 2)
        self.assertFalse(AuditEntry.objects.filter(action=RetentionAction.WITHDRAW.value).exists())

    def test_an_act_is_withdrawn_only_with_a_reason_and_once(self):
        with self.assertRaises(ValidationError):
            act_withdraw(act=self.act, by=self.members[2], reason="  ")
        self.assertEqual(ActLine.objects.filter(act=self.act).count(), 2)
        act_withdraw(act=self.act, by=self.members[1], reason=REASON)  # the chair
        with self.assertRaisesMessage(ValidationError, "withdrawn already"):
            act_withdraw(act=self.act, by=self.members[2], reason=REASON)

    def test_the_withdrawn_acts_documents_say_so_in_kyrgyz_and_russian(self):
        act = act_withdraw(act=self.act, by=self.members[2], reason=REASON)
        for language in ("ky", "ru"):
            with self.subTest(language=language):
                pdf = unhyphenated(" ".join(pdf_pages(documents.act_pdf(act, language=language))))
                words = unhyphenated(docx_words(documents.act_docx(act, language=language)))
                for text in (pdf, words):
                    self.assertIn(WITHDRAWN[language], text)
                    self.assertIn(REASON, text)
                    self.assertIn(unhyphenated(self.members[2].full_name), text)
