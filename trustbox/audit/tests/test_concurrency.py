import threading

from django.db import connections
from django.test import TransactionTestCase

from trustbox.audit.models import AuditChain, AuditEntry, WriterEntry
from trustbox.audit.services import audit_verify, audit_write
from trustbox.audit.tests.actions import TrialAction
from trustbox.registry.actions import AppealAction
from trustbox.schools.models import School

WRITERS = 4
WRITES_EACH = 25


class ConcurrentWritersTestCase(TransactionTestCase):
    """Writers on their own connections at once still make one chain per school.

    On PostgreSQL this is the real test: each writer locks the chain's head row. On SQLite
    every write transaction is IMMEDIATE, so writers are serialised anyway; it runs there too.
    """

    def setUp(self):
        self.school = School.objects.create(name="School of many writers", slug="many")

    def run_at_once(self, work):
        start = threading.Barrier(WRITERS)
        errors = []

        def run(i):
            try:
                start.wait()
                for n in range(WRITES_EACH):
                    work(i, n)
            except Exception as error:  # reported in the main thread
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])

    def test_staff_writing_at_once_make_one_chain_that_verifies(self):
        self.run_at_once(
            lambda i, n: audit_write(
                school=self.school, actor=None, action=TrialAction.STEP, details={"w": i, "n": n}
            )
        )
        self.assertEqual(
            AuditEntry.objects.filter(school=self.school).count(), WRITERS * WRITES_EACH
        )
        self.assertEqual(audit_verify(school=self.school), [])
        self.assertEqual(
            AuditChain.objects.get(key=AuditChain.key_for(self.school, "staff")).count,
            WRITERS * WRITES_EACH,
        )

    def test_staff_and_writers_at_once_keep_both_chains_whole(self):
        def work(i, n):
            audit_write(
                school=self.school,
                actor=None,
                action=AppealAction.WRITER_MESSAGE if i % 2 else TrialAction.STEP,
                details={"w": i, "n": n},
                by_writer=bool(i % 2),
            )

        self.run_at_once(work)
        self.assertEqual(
            WriterEntry.objects.filter(school=self.school).count(), WRITERS // 2 * WRITES_EACH
        )
        self.assertEqual(audit_verify(school=self.school), [])

    def test_the_install_chain_of_no_school_is_one_chain_too(self):
        self.run_at_once(
            lambda i, n: audit_write(
                school=None, actor=None, action=TrialAction.CRON, details={"w": i, "n": n}
            )
        )
        self.assertEqual(AuditChain.objects.filter(key="install:staff").count(), 1)
        self.assertEqual(audit_verify(school=None), [])
