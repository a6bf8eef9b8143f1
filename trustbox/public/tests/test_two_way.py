"""The writer's side of the two-way channel: the status page read and answered with a receipt."""

import re
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.box.tests.helpers import CLIENT_IP, database_rows_as_bytes
from trustbox.lib.dates import long_date
from trustbox.public import status_views
from trustbox.public.forms import submission_token
from trustbox.registry.consideration import (
    appeal_close,
    appeal_decide,
    appeal_note_add,
    appeal_reply,
)
from trustbox.registry.models import Entry, Outcome, Status
from trustbox.registry.services import appeal_file_read
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.writer import WRITER_MESSAGE_MAX
from trustbox.seal import crypto
from trustbox.test import captured_logs

STATUS_URL = reverse("box:status", args=["alatoo"])
WRITE_URL = reverse("box:write_back", args=["alatoo"])
WRONG_CODE = "1111-2222-3333-4444"
TEXTAREA = re.compile(r'<textarea name="text"[^>]*>(.*?)</textarea>', re.S)


def without_tokens_and_address(html: bytes) -> bytes:
    """The page without its CSRF tokens and the address the language switch returns to."""
    return re.sub(rb'name="(csrfmiddlewaretoken|next)" value="[^"]*"', b"", html)


class TwoWayTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def check(self, code=None, address=CLIENT_IP):
        return self.client.post(
            STATUS_URL, {"code": code or self.receipt.code}, REMOTE_ADDR=address
        )

    def write(self, text, code=None, address=CLIENT_IP):
        data = {"code": code or self.receipt.code, "text": text, "token": submission_token()}
        return self.client.post(WRITE_URL, data, REMOTE_ADDR=address)

    def answered(self, text="We hear you. The class teacher will talk to the class."):
        appeal = self.register(self.anonymous)
        appeal_reply(appeal=appeal, by=self.responsible, text=text, channel="receipt")
        appeal.refresh_from_db()
        return appeal


class WhereTheAppealIsTestCase(TwoWayTestCase):
    def test_a_writer_sees_her_appeal_is_still_in_the_box(self):
        receipt = appeal_submit(
            school=self.school, envelope=Envelope(kind="message", category="other", text="hi")
        )
        response = self.check(receipt.code)
        self.assertContains(response, "In the box, not yet opened.")
        self.assertNotContains(response, 'name="text"')

    def test_a_receipt_of_sixteen_digits_given_before_still_finds_its_appeal(self):
        old_code = "1234-5678-9012-3456"
        with mock.patch.object(crypto, "receipt_code_generate", return_value=old_code):
            receipt = appeal_submit(
                school=self.school, envelope=Envelope(kind="message", category="other", text="hi")
            )
        self.assertEqual(receipt.code, old_code)
        self.assertContains(self.check("1234 5678 9012 3456"), "In the box, not yet opened.")
        self.assertContains(self.check("1234-5678-9012-3457"), "No appeal has this code.")

    def test_a_writer_sees_her_appeal_was_taken_out_and_waits_for_its_number(self):
        response = self.check()
        self.assertContains(response, "Taken out of the box by the commission.")
        self.assertContains(response, "Soon your appeal will be registered")
        self.assertNotContains(response, 'name="text"')

    def test_a_writer_sees_the_registration_number_and_the_answer_date(self):
        appeal = self.register(self.anonymous)
        response = self.check()
        self.assertContains(response, f"Registered under number {appeal.number}.")
        self.assertContains(response, long_date(appeal.due_on, "en"))
        self.assertContains(response, 'name="text"')

    def test_the_page_speaks_kyrgyz_by_default(self):
        self.client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
        self.register(self.anonymous)
        self.assertContains(self.check(), '<html lang="ky">')
        self.assertContains(self.write(""), '<html lang="ky">', status_code=400)


class ConversationTestCase(TwoWayTestCase):
    def test_a_writer_reads_a_reply_through_her_code_but_no_note(self):
        appeal = self.register(self.anonymous)
        appeal_note_add(appeal=appeal, by=self.responsible, text="INTERNAL-call the parents")
        appeal_reply(appeal=appeal, by=self.responsible, text="We hear you.", channel="receipt")
        response = self.check()
        self.assertContains(response, "Answered.")
        self.assertContains(response, "The commission")
        self.assertContains(response, "We hear you.")
        self.assertContains(response, long_date(appeal.registered_on, "en"))
        self.assertNotContains(response, "INTERNAL")

    def test_a_writer_writes_back_and_sees_her_message_after_the_reply(self):
        appeal = self.answered(text="We hear you.")
        response = self.write("  It got better, thank you.  ")
        self.assertContains(response, "Your message is sent.")
        html = response.content.decode()
        self.assertLess(html.index("We hear you."), html.index("It got better, thank you."))
        self.assertIn("You", html)
        self.assertEqual(TEXTAREA.search(html).group(1).strip(), "")
        self.assertIn(f'type="hidden" name="code" value="{self.receipt.code}"', html)
        self.assertContains(response, "Your message is received.")
        self.assertContains(response, "The responsible person of the commission reads it")
        self.assertNotContains(response, "Under consideration.")
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Status.ANSWERED)

    def test_a_message_sent_again_by_a_reload_or_a_double_tap_is_stored_once(self):
        self.answered()
        token = self.check().context["message_form"]["token"].value()
        data = {"code": self.receipt.code, "text": "It got better", "token": token}
        first = self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)
        again = self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(first, "Your message is sent.")
        self.assertContains(again, "Your message is sent.")
        self.assertEqual(Entry.objects.filter(kind=Entry.Kind.WRITER).count(), 1)
        self.assertNotEqual(again.context["message_form"]["token"].value(), token)

    def test_a_message_sent_again_to_another_worker_is_stored_once(self):
        """The token is spent in the database with the message: no shared cache is needed."""
        from django.core.cache import cache

        self.answered()
        token = self.check().context["message_form"]["token"].value()
        data = {"code": self.receipt.code, "text": "It got better", "token": token}
        self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)
        cache.clear()  # another worker: nothing of the first sending in its memory
        again = self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(again, "Your message is sent.")
        self.assertEqual(Entry.objects.filter(kind=Entry.Kind.WRITER).count(), 1)

    def test_a_refused_message_can_be_sent_again_with_the_same_form(self):
        appeal = self.answered()
        token = self.check().context["message_form"]["token"].value()
        data = {"code": self.receipt.code, "text": "It got better", "token": token}
        with mock.patch(
            "trustbox.public.status_views.writer_message_add",
            side_effect=ValidationError("Try again."),
        ):
            refused = self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(refused, "Try again.", status_code=400)
        self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)
        self.assertEqual(appeal.entries.filter(kind=Entry.Kind.WRITER).count(), 1)

    def test_the_message_is_stored_sealed_and_the_officials_read_it(self):
        appeal = self.answered()
        self.write("It got better, thank you.")
        entry = Entry.objects.get(appeal=appeal, kind=Entry.Kind.WRITER)
        self.assertIsNone(entry.author)
        self.assertNotIn(b"better", bytes(entry.sealed_for_case))
        self.assertNotIn(b"better", bytes(entry.sealed_for_writer))
        file = appeal_file_read(
            appeal=appeal,
            by=self.responsible,
            purpose="test",
            case_private=self.case_private(appeal),
        )
        self.assertEqual(file.entries[-1][1], "It got better, thank you.")

    def test_messages_are_shown_as_plain_text_with_their_line_breaks(self):
        self.answered(text="Line one\n<b>not bold</b>")
        response = self.write("<script>alert(1)</script>")
        self.assertContains(response, "Line one<br>&lt;b&gt;not bold&lt;/b&gt;")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script")

    def test_a_closed_appeal_shows_no_form_and_points_to_a_new_appeal(self):
        appeal = self.answered()
        appeal_decide(appeal=appeal, by=self.responsible, outcome=Outcome.RESOLVED)
        appeal_close(appeal=appeal, by=self.responsible)
        response = self.check()
        self.assertContains(response, "Closed.")
        self.assertContains(response, "write a new appeal")
        self.assertContains(response, f'href="{reverse("box:appeal", args=["alatoo"])}"')
        self.assertNotContains(response, 'name="text"')
        self.assertNotContains(response, WRITE_URL)

    def test_a_message_to_a_closed_appeal_is_refused_and_the_text_given_back(self):
        appeal = self.answered()
        appeal_decide(appeal=appeal, by=self.responsible, outcome=Outcome.RESOLVED)
        appeal_close(appeal=appeal, by=self.responsible)
        response = self.write("One more thing")
        self.assertContains(response, "You can write back once", status_code=400)
        self.assertContains(response, "One more thing", status_code=400)
        self.assertFalse(Entry.objects.filter(kind=Entry.Kind.WRITER).exists())

    def test_an_appeal_still_in_the_box_cannot_be_written_to(self):
        receipt = appeal_submit(
            school=self.school, envelope=Envelope(kind="message", category="other", text="hi")
        )
        response = self.write("Hello?", code=receipt.code)
        self.assertContains(response, "You can write back once", status_code=400)
        self.assertFalse(Entry.objects.filter(kind=Entry.Kind.WRITER).exists())


class BadMessagesTestCase(TwoWayTestCase):
    def setUp(self):
        super().setUp()
        self.answered()

    def assertRefusedAndKept(self, response, message, kept):
        self.assertContains(response, message, status_code=400)
        self.assertEqual(TEXTAREA.search(response.content.decode()).group(1).strip(), kept)
        self.assertContains(response, "We hear you.", status_code=400)
        self.assertFalse(Entry.objects.filter(kind=Entry.Kind.WRITER).exists())

    def test_an_empty_message_is_refused(self):
        self.assertRefusedAndKept(self.write("   \n "), "Write something first.", "")

    def test_a_message_of_control_characters_only_is_refused(self):
        self.assertRefusedAndKept(
            self.write("\x07\x1b\x7f"), "Write something first.", "\x07\x1b\x7f"
        )

    def test_a_too_long_message_is_refused_and_kept(self):
        text = "ж" * (WRITER_MESSAGE_MAX + 1)
        self.assertRefusedAndKept(self.write(text), "The text is too long", text)

    def test_broken_characters_are_explained_and_the_text_kept(self):
        body = "code=" + self.receipt.code + "&text=Salam+%D0%96%FF%FE+dos"
        response = self.client.post(
            WRITE_URL, body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=CLIENT_IP
        )
        self.assertRefusedAndKept(response, "could not be read", "Salam Ж\ufffd\ufffd dos")

    def test_coming_back_to_the_write_back_address_asks_for_the_code_again(self):
        self.assertRedirects(self.client.get(WRITE_URL), STATUS_URL)


class WrongCodesTestCase(TwoWayTestCase):
    def setUp(self):
        super().setUp()
        self.appeal = self.answered()

    def test_a_wrong_code_on_the_write_back_form_gets_the_status_pages_answer(self):
        written = self.write("Let me in", code=WRONG_CODE)
        checked = self.check(WRONG_CODE)
        self.assertContains(written, "No appeal has this code")
        self.assertEqual(
            without_tokens_and_address(written.content),
            without_tokens_and_address(checked.content),
        )
        self.assertNotContains(written, self.appeal.number)
        self.assertNotContains(written, "Let me in")
        self.assertFalse(Entry.objects.filter(kind=Entry.Kind.WRITER).exists())

    @override_settings(RECEIPT_TRIES_PER_CLIENT_HOUR=3)
    def test_wrong_codes_on_the_write_back_form_are_throttled_like_the_status_page(self):
        self.check(WRONG_CODE)
        self.write("guess", code=WRONG_CODE)
        self.write("guess", code="12")
        response = self.write("It got better")
        self.assertContains(response, "Too many tries", status_code=429)
        self.assertNotContains(response, self.appeal.number, status_code=429)
        self.assertNotContains(response, "We hear you", status_code=429)
        self.assertEqual(
            TEXTAREA.search(response.content.decode()).group(1).strip(), "It got better"
        )
        self.assertContains(self.check(), "Too many tries", status_code=429)
        self.assertFalse(Entry.objects.filter(kind=Entry.Kind.WRITER).exists())
        other = self.write("It got better", address="198.51.100.5")
        self.assertContains(other, "Your message is sent.")

    def test_a_right_code_is_not_counted_as_a_try(self):
        with override_settings(RECEIPT_TRIES_PER_CLIENT_HOUR=2):
            for _ in range(3):
                self.assertEqual(self.write("Still here").status_code, 200)


class NothingKeptTestCase(TwoWayTestCase):
    def test_the_code_and_the_message_are_stored_nowhere_in_plain(self):
        self.answered()
        with captured_logs() as logs:
            self.check(self.receipt.code.replace("-", " "))
            self.write("CANARY-it got better")
            self.write("")
            self.write("guess", code=WRONG_CODE)
        code = self.receipt.code
        secrets = [code, code.replace("-", ""), code.replace("-", " "), "CANARY-it got better"]
        rows = database_rows_as_bytes()
        self.assertTrue(Entry.objects.filter(kind=Entry.Kind.WRITER).exists())
        for secret in secrets:
            self.assertNotIn(secret.encode(), rows)
            for line in logs:
                self.assertNotIn(secret, line)
            self.assertNotIn(secret, str(getattr(cache, "_cache", {})))
            self.assertNotIn(secret, str(dict(self.client.session)))

    def test_every_view_given_the_code_hides_the_posted_values_from_error_reports(self):
        for view, url in ((status_views.status, STATUS_URL), (status_views.write_back, WRITE_URL)):
            request = RequestFactory().post(
                url, {"code": WRONG_CODE, "text": "x", "token": submission_token()}
            )
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
            view(request, school="alatoo")
            self.assertEqual(request.sensitive_post_parameters, "__ALL__")

    def test_the_write_back_page_needs_no_javascript_and_is_never_cached(self):
        self.answered()
        response = self.write("Thank you")
        html = response.content.decode()
        self.assertNotIn("<script", html)
        self.assertEqual(re.findall(r'(?:src|href|action)="(?:https?:)?//', html), [])
        self.assertRegex(html, r'<form class="write-back"[^>]*autocomplete="off"')
        self.assertIn('href="tel:111"', html)
        self.assertIn("no-store", response["Cache-Control"])
