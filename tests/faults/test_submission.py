"""The server killed in the middle of a submission: no half-written appeal, no receipt for an
appeal that is not stored, and the next writer's appeal goes in as if nothing happened."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase

from tests.faults.install import STATE, Install, printed_json, run_child, run_until_killed

# The writer's real form through Django's test client: the form, then the appeal. `KILL` is
# replaced by the code that arms the fault. A receipt is printed only if a page came back.
SUBMIT = """
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from trustbox.box.signals import appeal_sealing
from trustbox.box.tests.helpers import CLIENT_IP, appeal_data, receipt_code_on

setup_test_environment()
KILL
client = Client()
url = "/b/alatoo/"
assert client.get(url).status_code == 200
with connection.execute_wrapper(after_statement):
    response = client.post(url, appeal_data(text="the killed appeal"), REMOTE_ADDR=CLIENT_IP)
print("RECEIPT", receipt_code_on(response))
"""

ARMED = {
    # The sealed appeal's row is written; the box's head is not moved yet.
    "after the row": """
def after_statement(execute, sql, params, many, context):
    done = execute(sql, params, many, context)
    if sql.startswith('INSERT INTO "box_sealedappeal"'):
        die()
    return done
""",
    # The row and the box's new head are written, not committed (box.signals.appeal_sealing).
    "before the commit": """
def after_statement(execute, sql, params, many, context):
    return execute(sql, params, many, context)
appeal_sealing.connect(die, weak=False)
""",
    # Committed, the receipt page not yet made.
    "after the commit": """
def after_statement(execute, sql, params, many, context):
    return execute(sql, params, many, context)
appeal_sealing.connect(lambda **kwargs: transaction.on_commit(die), weak=False)
""",
}

# After the restart: what the box holds, the next writer and what their receipt finds, and
# what the box holds then.
RESTARTED = (
    STATE
    + """
from django.test import Client
from django.test.utils import setup_test_environment
from trustbox.box.services import appeal_find_by_receipt
from trustbox.box.tests.helpers import CLIENT_IP, appeal_data, receipt_code_on
from trustbox.schools.models import School

setup_test_environment()
client = Client()
response = client.post("/b/alatoo/", appeal_data(text="the next appeal"), REMOTE_ADDR=CLIENT_IP)
school = School.objects.get(slug="alatoo")
found = appeal_find_by_receipt(school=school, code=receipt_code_on(response))
print(json.dumps({"found_seq": found.sealed.seq}))
"""
    + STATE
)

APPEALS = 2


class SubmissionKilledTestCase(SimpleTestCase):
    install: Install

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.install = Install.make(APPEALS)

    @classmethod
    def tearDownClass(cls):
        cls.install.remove()
        super().tearDownClass()

    def killed_while_submitting(self, where: str) -> tuple[dict[str, Any], int, dict[str, Any]]:
        """Kill a server where told; restart it: what it finds, the next appeal, what then."""
        data_dir = self.install.copy()
        printed = run_until_killed(SUBMIT.replace("KILL", ARMED[where]), data_dir)
        self.assertNotIn("RECEIPT", printed)
        found, following, then = printed_json(run_child(RESTARTED, data_dir))
        return found, following["found_seq"], then

    def test_a_server_killed_before_the_commit_leaves_no_half_written_appeal(self):
        for where in ("after the row", "before the commit"):
            with self.subTest(where=where):
                found, following, then = self.killed_while_submitting(where)
                self.assertEqual(found["sealed"], [1, 2])
                self.assertEqual(found["box_count"], 2)
                self.assertEqual(found["damage"], [])
                # The next writer's appeal takes the place the killed one did not.
                self.assertEqual(following, 3)
                self.assertEqual((then["sealed"], then["damage"]), ([1, 2, 3], []))

    def test_a_server_killed_after_the_commit_keeps_a_whole_appeal_without_a_receipt(self):
        found, following, then = self.killed_while_submitting("after the commit")
        # Stored whole, in the chain; its receipt was never shown, so nobody holds one that
        # does not lead to it.
        self.assertEqual(found["sealed"], [1, 2, 3])
        self.assertEqual(found["box_count"], 3)
        self.assertEqual(found["damage"], [])
        self.assertEqual(following, 4)
        self.assertEqual((then["sealed"], then["damage"]), ([1, 2, 3, 4], []))
