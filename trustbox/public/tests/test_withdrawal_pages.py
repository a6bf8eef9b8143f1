"""The writer's status page: take my appeal back, asked first in plain words, done once."""

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from trustbox.audit.models import WriterEntry
from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.box.tests.helpers import CLIENT_IP
from trustbox.box.withdrawal import WithdrawalAction
from trustbox.test import SealedBoxTestCase

STATUS_URL = reverse("box:status", args=["alatoo"])
WITHDRAW_URL = reverse("box:withdraw", args=["alatoo"])
WRONG_CODE = "1111-2222-3333-4444-5555"


def said(language, text):
    with translation.override(language):
        return gettext(text)


class WithdrawPagesTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.receipt = appeal_submit(
            school=self.school,
            envelope=Envelope(kind="complaint", category="bullying", text="SECRET-mocked"),
        )
        self.language("en")

    def language(self, code):
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: code})

    def withdraw(self, confirm=False, token=None, code=None, address=CLIENT_IP):
        if token is None:
            page = self.client.post(STATUS_URL, {"code": self.receipt.code}, REMOTE_ADDR=CLIENT_IP)
            token = page.context["step_form"]["token"].value()
        data = {"code": code or self.receipt.code, "token": token}
        if confirm:
            data["confirm"] = "True"
        return self.client.post(WITHDRAW_URL, data, REMOTE_ADDR=address)

    def withdrawn(self):
        return SealedAppeal.objects.filter(withdrawn_on__isnull=False).count()

    def test_the_status_page_offers_to_take_an_appeal_in_the_box_back(self):
        page = self.client.post(STATUS_URL, {"code": self.receipt.code}, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(page, "Take my appeal back")
        self.assertContains(page, f'action="{WITHDRAW_URL}"')

    def test_the_first_press_asks_what_happens_and_that_it_cannot_be_undone(self):
        asked = self.withdraw()
        self.assertContains(asked, "Take your appeal back?")
        self.assertContains(asked, "nobody will read it")
        self.assertContains(asked, "This cannot be undone.")
        self.assertContains(asked, "No, keep my appeal")
        self.assertEqual(self.withdrawn(), 0)

    def test_the_second_press_takes_it_back_once_however_often_it_is_sent(self):
        confirm = self.withdraw().context["step_form"]
        token = confirm["token"].value()
        done = self.withdraw(confirm=True, token=token)
        self.assertContains(done, "Your appeal is taken back.")
        self.assertContains(done, "You took your appeal back.")
        self.assertNotContains(done, "Take my appeal back")
        again = self.withdraw(confirm=True, token=token)
        self.assertContains(again, "You took your appeal back.")
        self.assertEqual(self.withdrawn(), 1)
        self.assertEqual(
            WriterEntry.objects.filter(action=WithdrawalAction.WITHDRAW.value).count(), 1
        )
        # Checked later with the code: still taken back.
        later = self.client.post(STATUS_URL, {"code": self.receipt.code}, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(later, "You took your appeal back.")

    def test_an_appeal_taken_out_of_the_box_is_not_taken_back(self):
        token = self.withdraw().context["step_form"]["token"].value()
        self.box_open()
        refused = self.withdraw(confirm=True, token=token)
        self.assertContains(refused, "can no longer be taken back", status_code=409)
        self.assertEqual(self.withdrawn(), 0)

    @override_settings(RECEIPT_TRIES_PER_CLIENT_HOUR=2)
    def test_wrong_codes_on_the_withdrawal_are_throttled_like_the_status_page(self):
        token = self.withdraw().context["step_form"]["token"].value()
        self.withdraw(confirm=True, token=token, code=WRONG_CODE)
        self.withdraw(confirm=True, token=token, code=WRONG_CODE)
        refused = self.withdraw(confirm=True, token=token)
        self.assertContains(refused, "Too many tries", status_code=429)
        self.assertEqual(self.withdrawn(), 0)

    def test_the_confirmation_speaks_kyrgyz_and_russian(self):
        for language in ("ky", "ru"):
            with self.subTest(language=language):
                self.receipt = appeal_submit(
                    school=self.school,
                    envelope=Envelope(kind="message", category="other", text="SECRET"),
                )
                self.language(language)
                asked = self.withdraw()
                self.assertContains(asked, f'<html lang="{language}">')
                self.assertContains(asked, said(language, "Take your appeal back?"))
                self.assertContains(asked, said(language, "Yes, take my appeal back"))
                done = self.withdraw(
                    confirm=True, token=asked.context["step_form"]["token"].value()
                )
                self.assertContains(done, said(language, "You took your appeal back."))
