from trustbox.audit.models import AuditEntry
from trustbox.audit.services import audit_verify, audit_write
from trustbox.audit.tests.actions import TrialAction
from trustbox.test import BaseTestCase


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

    def test_a_changed_entry_is_detected(self):
        _, second, _ = self.write_three()
        AuditEntry.raw.filter(pk=second.pk).update(details={"i": 99})
        breaks = audit_verify(school=self.school)
        self.assertEqual([(b.entry_id, b.reason) for b in breaks], [(second.pk, "content")])

    def test_a_deleted_entry_is_detected(self):
        _, second, third = self.write_three()
        AuditEntry.raw.filter(pk=second.pk).delete()
        breaks = audit_verify(school=self.school)
        self.assertEqual([(b.entry_id, b.reason) for b in breaks], [(third.pk, "link")])

    def test_a_changed_actor_is_detected(self):
        first, _, _ = self.write_three()
        AuditEntry.raw.filter(pk=first.pk).update(actor=self.teacher)
        self.assertTrue(audit_verify(school=self.school))

    def test_the_log_refuses_changes_and_deletions(self):
        entry, _, _ = self.write_three()
        with self.assertRaises(TypeError):
            entry.save()
        with self.assertRaises(TypeError):
            entry.delete()
        with self.assertRaises(TypeError):
            AuditEntry.objects.filter(pk=entry.pk).update(action="x")
        with self.assertRaises(TypeError):
            AuditEntry.objects.filter(pk=entry.pk).delete()

    def test_schools_have_separate_chains(self):
        self.write_three()
        other = audit_write(
            school=self.other_school, actor=self.other_director, action=TrialAction.STEP
        )
        last_of_other = (
            AuditEntry.objects.filter(school=self.other_school).exclude(pk=other.pk).last()
        )
        self.assertEqual(other.prev_hash, last_of_other.hash)
        self.assertEqual(audit_verify(school=self.other_school), [])
