import datetime
from unittest import mock

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.audit.digests import Head, digest_send, digest_status, log_head
from trustbox.audit.models import AuditChain, AuditEntry, ChainDigest, WriterEntry
from trustbox.audit.services import audit_check, audit_verify, audit_write
from trustbox.audit.tests.actions import TrialAction
from trustbox.audit.tests.test_log_page import elect_chair
from trustbox.box.chain import chain_verify
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.lib.dates import long_date
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.registry.actions import AppealAction
from trustbox.seal import crypto
from trustbox.test import SealedBoxTestCase

SECRET = "SECRET-appeal-text-of-the-digest-test"


class DigestTestCase(SealedBoxTestCase):
    """A digest made the next morning; then someone cuts a chain short and puts its head back."""

    def setUp(self):
        super().setUp()
        elect_chair(self)
        self.chair = self.members[1]
        for user in (self.chair, self.responsible):
            User.objects.filter(pk=user.pk).update(email=f"{user.username}@school.kg")
            user.refresh_from_db()
        self.next_day = timezone.localdate() + datetime.timedelta(days=1)

    def submit(self, n):
        return [
            appeal_submit(
                school=self.school,
                envelope=Envelope(kind="message", category="other", text=f"{SECRET} {i}"),
            ).sealed
            for i in range(n)
        ]

    def send(self, day=None, whole=True):
        return digest_send(
            school=self.school,
            today=day or self.next_day,
            # The chair and the responsible person; the teacher has no address.
            recipients=list(
                User.objects.filter(pk__in=[self.chair.pk, self.responsible.pk, self.teacher.pk])
            ),
            whole=whole,
        )

    def box(self):
        return Box.objects.get(school=self.school)

    def statuses(self):
        return {status.chain.name: status for status in digest_status(school=self.school).chains}

    def cut_the_box_after(self, kept):
        """Remove the appeals after this one and put the box row back to it."""
        SealedAppeal.objects.filter(school=self.school, seq__gt=kept.seq).delete()
        Box.objects.filter(school=self.school).update(count=kept.seq, head=kept.chain_hash)

    def cut_the_log_after(self, kept):
        """Remove the staff entries after this one and put the head row back to it."""
        entries = AuditEntry.raw.filter(school=self.school)
        entries.filter(id__gt=kept.pk).delete()
        AuditChain.objects.filter(key=AuditChain.key_for(self.school, "staff")).update(
            count=entries.count(), head=kept.hash
        )


class DigestSentTestCase(DigestTestCase):
    def test_it_mails_the_counts_and_head_codes_to_each_person_without_content(self):
        *_, third = self.submit(3)
        User.objects.filter(pk__in=[self.chair.pk, self.responsible.pk]).update(language="en")
        digest = self.send()
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), sorted([self.chair.email, self.responsible.email])
        )
        body, _html = assert_mail(self, mail.outbox[0], language="en", secrets=[SECRET])
        box_code = crypto.chain_code(bytes(third.chain_hash))
        log = Head.from_json(digest.heads["log"])
        self.assertIn(f"The box (appeals sealed): 3, head code {box_code}.", body)
        self.assertIn(f"The audit log (entries): {log.count}, head code {log.code}.", body)
        self.assertIn("checked in full today: its chains are whole", body)
        self.assertIn(self.school.name, mail.outbox[0].subject)
        self.assertNotIn(SECRET, body)
        self.assertEqual(digest.heads["box"], {"count": 3, "head": bytes(third.chain_hash).hex()})
        self.assertEqual(digest.mailed, 2)

    def test_the_mail_is_in_each_persons_language_with_the_same_codes(self):
        *_, third = self.submit(1)
        User.objects.filter(pk=self.chair.pk).update(language="ru")
        self.send()
        code = crypto.chain_code(bytes(third.chain_hash))
        languages = {self.chair.email: "ru", self.responsible.email: "ky"}
        for message in mail.outbox:
            for part in assert_mail(self, message, language=languages[message.to[0]]):
                self.assertEqual(part.count(code), 1)

    def test_the_record_keeps_what_was_mailed_and_the_log_notes_the_digest_after_it(self):
        digest = self.send()
        self.assertEqual(ChainDigest.objects.get(), digest)
        entry = AuditEntry.objects.filter(school=self.school).last()
        self.assertEqual((entry.action, entry.details), ("chain.digest", {"mailed": 2}))
        count = AuditEntry.objects.filter(school=self.school).count()
        self.assertEqual(digest.heads["log"]["parts"]["staff"], [count - 1, entry.prev_hash])
        self.assertEqual(
            {s.chain.name: s.since for s in digest_status(school=self.school).chains},
            {"box": 0, "log": 1},
        )

    def test_nobody_to_mail_records_nothing(self):
        self.assertIsNone(
            digest_send(school=self.school, today=self.next_day, recipients=[self.teacher])
        )
        self.assertFalse(ChainDigest.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="chain.digest").exists())

    def test_a_failing_mail_server_records_nothing(self):
        with (
            mock.patch("trustbox.audit.digests.mail_people", side_effect=OSError),
            self.assertRaises(OSError),
        ):
            self.send()
        self.assertFalse(ChainDigest.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="chain.digest").exists())

    def test_appeals_and_writers_actions_are_counted_only_to_the_start_of_the_day(self):
        # A digest at 7 am must not split the day's appeals into before and after 7 am.
        self.submit(2)
        audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )
        digest = self.send(day=timezone.localdate())
        self.assertEqual(digest.heads["box"]["count"], 0)
        self.assertEqual(digest.heads["log"]["parts"]["writer"][0], 0)
        digest = self.send(day=self.next_day)
        self.assertEqual(digest.heads["box"]["count"], 2)
        writer = WriterEntry.objects.get()
        self.assertEqual(digest.heads["log"]["parts"]["writer"], [1, writer.hash])

    def test_a_broken_log_is_said_in_the_mail(self):
        User.objects.filter(pk=self.chair.pk).update(language="en")
        self.send(whole=False)
        mail.outbox.sort(key=lambda message: message.to[0] != self.chair.email)
        self.assertIn("its chains are BROKEN", mail.outbox[0].body)


class TruncationAfterADigestTestCase(DigestTestCase):
    """Delete and roll back after a digest: every check in the database passes, the digest not."""

    def test_appeals_removed_with_the_box_row_rolled_back_disagree_with_the_digest(self):
        _first, second, third = self.submit(3)
        digest = self.send()
        self.cut_the_box_after(second)
        self.assertEqual(chain_verify(school=self.school), [])
        box = self.statuses()["box"]
        self.assertEqual((box.then.count, box.now.count), (3, 2))
        self.assertEqual(box.then.code, crypto.chain_code(bytes(third.chain_hash)))
        self.assertNotEqual(box.now.code, box.then.code)
        self.assertTrue(box.went_down)
        self.assertTrue(box.cut)
        self.assertIn(box.then.code, mail.outbox[0].body)
        self.assertEqual(digest.heads["box"]["count"], 3)

    def test_a_cut_box_filled_up_again_to_the_same_count_is_still_seen(self):
        _first, second, _third = self.submit(3)
        self.send()
        self.cut_the_box_after(second)
        self.submit(1)
        box = self.statuses()["box"]
        self.assertEqual((box.then.count, box.now.count, box.went_down), (3, 3, False))
        self.assertTrue(box.cut)
        self.assertTrue(digest_status(school=self.school).alarm)

    def test_log_entries_removed_with_the_head_row_rolled_back_disagree_with_the_digest(self):
        kept = audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        audit_write(school=self.school, actor=self.director, action=TrialAction.AFTER)
        self.send()
        self.cut_the_log_after(kept)
        self.assertEqual(audit_verify(school=self.school), [])
        self.assertEqual(audit_check(school=self.school).breaks, [])
        log = self.statuses()["log"]
        self.assertEqual(log.now.count, log.then.count - 1)
        self.assertTrue(log.went_down)
        self.assertTrue(log.cut)

    def test_a_removed_writers_entry_disagrees_with_the_digest(self):
        kept = audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )
        removed = audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )
        self.send()
        WriterEntry.raw.filter(pk=removed.pk).delete()
        AuditChain.objects.filter(key=AuditChain.key_for(self.school, "writer")).update(
            count=1, head=kept.hash
        )
        self.assertEqual(audit_verify(school=self.school), [])
        log = self.statuses()["log"]
        # The digest's own staff entry, written after it, makes up the total: the head shows.
        self.assertEqual(log.now.count, log.then.count)
        self.assertEqual((log.then.parts["writer"][0], log.now.parts["writer"][0]), (2, 1))
        self.assertTrue(log.cut)

    def test_an_untouched_school_agrees_with_its_digest(self):
        self.submit(2)
        self.send()
        self.submit(1)
        audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        status = digest_status(school=self.school)
        self.assertFalse(status.alarm)
        since = {s.chain.name: s.since for s in status.chains}
        self.assertEqual(since, {"box": 1, "log": 2})  # the log: the digest's entry and one

    def test_the_log_page_shows_the_digest_next_to_the_chains_and_says_the_box_was_cut(self):
        _first, second, third = self.submit(3)
        self.send()
        self.cut_the_box_after(second)
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get(reverse("audit:log", args=[self.school.slug]))
        day = long_date(self.next_day, "en")
        self.assertContains(response, f"Since the last digest, of {day}:")
        self.assertContains(
            response, f"3 · <code>{crypto.chain_code(bytes(third.chain_hash))}</code>"
        )
        self.assertContains(
            response, f"2 · <code>{crypto.chain_code(bytes(second.chain_hash))}</code>"
        )
        self.assertContains(
            response,
            f"The box (appeals sealed): 2 now, fewer than the 3 of the digest of {day}. "
            "Something was removed after the digest",
        )
        self.assertContains(response, "is no longer in the chain at its place")
        # The log's own chain is whole: only the digest shows the cut.
        self.assertContains(response, "The chain of the audit log is whole")

    def test_the_opening_page_says_the_log_was_cut(self):
        from trustbox.openings.gathering import opening_start

        kept = audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        audit_write(school=self.school, actor=self.director, action=TrialAction.AFTER)
        self.send()
        self.cut_the_log_after(kept)
        opening, _key = opening_start(school=self.school, by=self.members[0])
        self.login(self.members[2])
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get(reverse("openings:session", args=[self.school.slug, opening.pk]))
        self.assertContains(response, "The box and the audit log since the daily mail")
        self.assertNotContains(response, "still hold everything the daily mail")
        # Starting the opening wrote an entry: the count is back, the digest's head is not.
        self.assertContains(
            response,
            f"The audit log (entries): the head that the digest of "
            f"{long_date(self.next_day, 'en')} recorded (code ",
        )
        self.assertContains(response, "is no longer in the chain at its place")
        self.assertContains(response, "(compare with your mail)")


class HeadsWithoutDigestTestCase(DigestTestCase):
    def test_the_page_says_no_digest_was_mailed_yet_and_shows_the_heads_now(self):
        *_, last = self.submit(2)
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get(reverse("audit:log", args=[self.school.slug]))
        self.assertContains(response, "No digest has been mailed yet")
        self.assertContains(
            response, f"2 · <code>{crypto.chain_code(bytes(last.chain_hash))}</code>"
        )
        self.assertContains(response, f"<code>{log_head(self.school).code}</code>")
        self.assertFalse(digest_status(school=self.school).alarm)

    def test_a_head_is_written_and_read_back_the_same(self):
        head = log_head(self.school)
        self.assertEqual(Head.from_json(head.as_json()), head)
