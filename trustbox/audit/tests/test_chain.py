import datetime
from unittest import mock

from django.db import transaction
from django.utils import timezone

from trustbox.audit.models import GENESIS, AuditChain, AuditEntry, WriterEntry
from trustbox.audit.services import (
    ChainBreak,
    audit_check,
    audit_checkpoint,
    audit_verify,
    audit_write,
)
from trustbox.audit.tests.actions import TrialAction
from trustbox.registry.actions import AppealAction
from trustbox.test import BaseTestCase


def chain_of(school, kind="staff"):
    return AuditChain.objects.get(key=AuditChain.key_for(school, kind))


class AuditChainTestCase(BaseTestCase):
    def write_three(self):
        return [
            audit_write(
                school=self.school, actor=self.director, action=TrialAction.STEP, details={"i": i}
            )
            for i in range(3)
        ]

    def test_an_untouched_chain_verifies(self):
        self.write_three()
        self.assertEqual(audit_verify(school=self.school), [])

    def test_each_entry_links_to_the_one_before(self):
        first, second, third = self.write_three()
        self.assertEqual(second.prev_hash, first.hash)
        self.assertEqual(third.prev_hash, second.hash)

    def test_the_head_row_follows_the_newest_entry(self):
        *_, third = self.write_three()
        chain = chain_of(self.school)
        self.assertEqual(chain.head, third.hash)
        self.assertEqual(chain.count, AuditEntry.objects.filter(school=self.school).count())

    def test_a_changed_entry_is_detected(self):
        _, second, _ = self.write_three()
        AuditEntry.raw.filter(pk=second.pk).update(details={"i": 99})
        self.assertEqual(audit_verify(school=self.school), [ChainBreak(second.pk, "content")])

    def test_a_deleted_entry_is_detected(self):
        _, second, third = self.write_three()
        AuditEntry.raw.filter(pk=second.pk).delete()
        self.assertEqual(audit_verify(school=self.school), [ChainBreak(third.pk, "link")])

    def test_a_deleted_newest_entry_is_detected_by_the_head_row(self):
        _, second, third = self.write_three()
        AuditEntry.raw.filter(pk=third.pk).delete()
        self.assertEqual(audit_verify(school=self.school), [ChainBreak(second.pk, "head")])

    def test_newest_entries_deleted_with_the_head_row_rolled_back_pass_the_chain_check(self):
        # What the chain alone cannot see: the digests catch it (test_digests.py).
        _, second, third = self.write_three()
        AuditEntry.raw.filter(pk=third.pk).delete()
        AuditChain.objects.filter(pk=chain_of(self.school).pk).update(
            head=second.hash, count=chain_of(self.school).count - 1
        )
        self.assertEqual(audit_verify(school=self.school), [])

    def test_a_changed_actor_is_detected(self):
        first, _, _ = self.write_three()
        AuditEntry.raw.filter(pk=first.pk).update(actor=self.teacher)
        self.assertEqual(audit_verify(school=self.school), [ChainBreak(first.pk, "content")])

    def test_the_log_refuses_changes_and_deletions(self):
        entry, _, _ = self.write_three()
        writer = audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )
        for row, model in ((entry, AuditEntry), (writer, WriterEntry)):
            with self.subTest(model=model.__name__):
                with self.assertRaises(TypeError):
                    row.save()
                with self.assertRaises(TypeError):
                    row.delete()
                with self.assertRaises(TypeError):
                    model.objects.filter(pk=row.pk).update(action="x")
                with self.assertRaises(TypeError):
                    model.objects.filter(pk=row.pk).delete()

    def test_schools_have_separate_chains(self):
        self.write_three()
        other = audit_write(
            school=self.other_school, actor=self.other_director, action=TrialAction.STEP
        )
        last_of_other = (
            AuditEntry.objects.filter(school=self.other_school).exclude(pk=other.pk).last()
        )
        self.assertEqual(other.prev_hash, last_of_other.hash)
        self.assertEqual(chain_of(self.other_school).head, other.hash)
        self.assertEqual(audit_verify(school=self.other_school), [])

    def test_the_install_has_a_chain_of_its_own_with_its_own_head_row(self):
        first = audit_write(school=None, actor=self.operator, action=TrialAction.CRON)
        second = audit_write(school=None, actor=self.operator, action=TrialAction.CRON)
        self.assertEqual(second.prev_hash, first.hash)
        chain = AuditChain.objects.get(key="install:staff")
        self.assertIsNone(chain.school)
        self.assertEqual(chain.head, second.hash)
        self.assertEqual(audit_verify(school=None), [])


class WritersChainTestCase(BaseTestCase):
    def write(self):
        return audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )

    def test_a_writers_entry_goes_into_the_writers_chain_with_the_day_only(self):
        before = AuditEntry.objects.count()
        first, second = self.write(), self.write()
        self.assertEqual(AuditEntry.objects.count(), before)
        self.assertIsInstance(second, WriterEntry)
        self.assertEqual((first.prev_hash, second.prev_hash), (GENESIS, first.hash))
        midnight = timezone.localtime(second.created_at)
        self.assertEqual(midnight.time(), datetime.time.min)
        self.assertEqual(chain_of(self.school, "writer").head, second.hash)
        self.assertEqual(audit_verify(school=self.school), [])

    def test_the_anonymous_writer_has_no_account(self):
        with self.assertRaises(TypeError):
            audit_write(
                school=self.school,
                actor=self.director,
                action=AppealAction.WRITER_MESSAGE,
                by_writer=True,
            )

    def test_a_changed_writers_entry_is_named_in_the_writers_chain(self):
        first, _second = self.write(), self.write()
        WriterEntry.raw.filter(pk=first.pk).update(target="registry.appeal:999")
        self.assertEqual(
            audit_verify(school=self.school), [ChainBreak(first.pk, "content", writer=True)]
        )

    def test_a_removed_newest_writers_entry_is_named_by_the_writers_head(self):
        first, second = self.write(), self.write()
        WriterEntry.raw.filter(pk=second.pk).delete()
        self.assertEqual(
            audit_verify(school=self.school), [ChainBreak(first.pk, "head", writer=True)]
        )

    def test_a_writers_entry_moved_into_the_staff_table_breaks_both_chains(self):
        entry = self.write()
        staff_head = chain_of(self.school).head
        WriterEntry.raw.filter(pk=entry.pk).delete()
        moved = AuditEntry.raw.create(
            school=self.school,
            action=entry.action,
            target=entry.target,
            details=entry.details,
            created_at=entry.created_at,
            prev_hash=staff_head,
            hash=entry.hash,
        )
        self.assertEqual(
            audit_verify(school=self.school),
            [
                ChainBreak(moved.pk, "content"),
                ChainBreak(moved.pk, "head"),
                ChainBreak(0, "head", writer=True),
            ],
        )


class WritersAmongStaffTestCase(BaseTestCase):
    """From the stored rows, a writer's entry cannot be placed among the staff's of its day."""

    def stored_after(self, writer_at):
        """Two staff actions at 10:00:00 and 10:00:04, a writer's at another second of the day.

        Return the rows they left: each table's rows in the order of their ids, without the
        ids themselves (on PostgreSQL a rolled-back id is not given again).
        """
        day = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0, 0))
        steps = sorted([(0, self.staff), (4, self.staff), (writer_at, self.writer)])
        with transaction.atomic():
            marks = {
                model: model.objects.order_by("-id").values_list("id", flat=True).first() or 0
                for model in (AuditEntry, WriterEntry)
            }
            for second, step in steps:
                moment = day + datetime.timedelta(seconds=second)
                with mock.patch("django.utils.timezone.now", return_value=moment):
                    step()
            rows = {
                model.__name__: [
                    {k: v for k, v in row.items() if k != "id"}
                    for row in model.objects.filter(id__gt=marks[model]).order_by("id").values()
                ]
                for model in (AuditEntry, WriterEntry)
            }
            rows["heads"] = list(
                AuditChain.objects.filter(school=self.school)
                .order_by("key")
                .values("key", "count", "head")
            )
            transaction.set_rollback(True)
        return rows

    def staff(self):
        audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)

    def writer(self):
        audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )

    def test_rows_are_the_same_whether_the_writer_came_before_between_or_after_staff_actions(
        self,
    ):
        between = self.stored_after(writer_at=2)
        self.assertEqual(len(between["WriterEntry"]), 1)
        self.assertEqual(len(between["AuditEntry"]), 2)
        self.assertEqual(between, self.stored_after(writer_at=6))
        self.assertEqual(between, self.stored_after(writer_at=-3600))


class CheckpointTestCase(BaseTestCase):
    def write(self, n):
        return [
            audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
            for _ in range(n)
        ]

    def test_the_daily_check_leaves_a_checkpoint_and_the_page_check_reads_only_what_came_after(
        self,
    ):
        self.write(3)
        total = AuditEntry.objects.filter(school=self.school).count()
        full = audit_checkpoint(school=self.school)
        self.assertEqual((full.breaks, full.entries, full.checked_now), ([], total, total))
        *_, newest = self.write(2)
        check = audit_check(school=self.school)
        self.assertEqual(check.breaks, [])
        self.assertEqual((check.entries, check.checked_now), (total + 2, 2))
        self.assertEqual(check.last_id, newest.pk)
        self.assertEqual(check.since, chain_of(self.school).checked_at)

    def test_without_a_daily_check_the_page_check_reads_everything(self):
        self.write(2)
        check = audit_check(school=self.school)
        self.assertIsNone(check.since)
        self.assertEqual(check.checked_now, check.entries)

    def test_a_break_after_the_checkpoint_is_found_by_the_page_check(self):
        self.write(2)
        audit_checkpoint(school=self.school)
        changed, _after = self.write(2)
        AuditEntry.raw.filter(pk=changed.pk).update(action="x")
        self.assertEqual(
            audit_check(school=self.school).breaks, [ChainBreak(changed.pk, "content")]
        )

    def test_a_break_before_the_checkpoint_is_found_by_the_next_daily_check_and_then_every_page(
        self,
    ):
        old, _ = self.write(2)
        audit_checkpoint(school=self.school)
        AuditEntry.raw.filter(pk=old.pk).update(action="x")
        self.assertEqual(audit_check(school=self.school).breaks, [])  # said on the page: since …
        self.assertEqual(
            audit_checkpoint(school=self.school).breaks, [ChainBreak(old.pk, "content")]
        )
        check = audit_check(school=self.school)
        self.assertIsNone(check.since)
        self.assertEqual(check.breaks, [ChainBreak(old.pk, "content")])

    def test_an_entry_the_checkpoint_names_that_is_gone_is_a_break(self):
        *_, last = self.write(2)
        audit_checkpoint(school=self.school)
        AuditEntry.raw.filter(pk=last.pk).delete()
        self.assertIn(ChainBreak(last.pk, "checkpoint"), audit_check(school=self.school).breaks)
