"""A restart during an opening: the ceremony resumes or is safely cancelled; no appeal is lost
or taken out twice."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase

from tests.faults.install import STATE, Install, printed_json, run_child, run_until_killed

APPEALS = 12

CEREMONY = """
from unittest import mock
from django.db import connection
from trustbox.accounts.models import User
from trustbox.openings.models import Opening
from trustbox.openings.gathering import (
    opening_cancel, opening_code, opening_join, opening_start,
)
from trustbox.openings.services import opening_open
from trustbox.schools.models import School
from trustbox.test import PASSWORD

school = School.objects.get(slug="alatoo")
members = [User.objects.get(username=f"alatoo-member{n}") for n in (1, 2, 3)]

def join(opening, member):
    opening_join(
        opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
    )

def gathering():
    return Opening.objects.get(school=school, status=Opening.Status.GATHERING)
"""

# The chair starts, two members join; the chair's browser keeps its key (printed here, as the
# cookie keeps it); the server dies before the third member comes.
KILLED_WHILE_GATHERING = (
    CEREMONY
    + """
opening, browser_key = opening_start(school=school, by=members[0])
join(opening, members[0])
join(opening, members[1])
print(json.dumps({"browser_key": browser_key.hex()}))
die()
"""
)

# Everyone has joined; the server dies in the middle of opening the box, after the second
# batch of appeals went into the registry (batches of five).
KILLED_WHILE_OPENING = (
    CEREMONY
    + """
opening, browser_key = opening_start(school=school, by=members[0])
for member in members:
    join(opening, member)
print(json.dumps({"browser_key": browser_key.hex()}))
stored = 0

def after_statement(execute, sql, params, many, context):
    global stored
    done = execute(sql, params, many, context)
    if sql.startswith('INSERT INTO "registry_appeal"'):
        stored += 1
        if stored == 2:
            die()
    return done

with (
    mock.patch("trustbox.registry.intake.STORED_AT_ONCE", 5),
    mock.patch("trustbox.box.chain.ROWS_AT_ONCE", 5),
    connection.execute_wrapper(after_statement),
):
    opening_open(opening=opening, by=members[0], browser_key=browser_key)
"""
)

RESUMED = (
    CEREMONY
    + STATE
    + """
opening = gathering()
for member in members:
    if not opening.participants.filter(member=member).exists():
        join(opening, member)
opened = opening_open(opening=opening, by=members[0], browser_key=bytes.fromhex("KEY"))
print(json.dumps({"online": opened.online_count, "damage": opened.damage}))
"""
    + STATE
)

CANCELLED = (
    CEREMONY
    + STATE
    + """
opening_cancel(opening=gathering(), by=members[0])
"""
    + STATE
    + """
opening, browser_key = opening_start(school=school, by=members[0])
for member in members:
    join(opening, member)
opened = opening_open(opening=opening, by=members[0], browser_key=browser_key)
print(json.dumps({"online": opened.online_count, "damage": opened.damage}))
"""
    + STATE
)

EVERY = list(range(1, APPEALS + 1))


class OpeningRestartedTestCase(SimpleTestCase):
    install: Install

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.install = Install.make(APPEALS)

    @classmethod
    def tearDownClass(cls):
        cls.install.remove()
        super().tearDownClass()

    def killed(self, script: str) -> tuple[Any, str]:
        data_dir = self.install.copy()
        (printed,) = printed_json(run_until_killed(script, data_dir))
        return data_dir, printed["browser_key"]

    def assertUntouched(self, found: dict[str, Any], shares: int) -> None:
        """Nothing was taken out: every appeal in the box, none in the registry."""
        self.assertEqual(found["in_box"], EVERY)
        self.assertEqual(found["registry"], [])
        self.assertEqual(found["damage"], [])
        self.assertEqual(found["openings"], ["gathering"])
        self.assertEqual(found["shares_kept"], shares)

    def assertEachTakenOutOnce(self, opened: dict[str, Any], found: dict[str, Any]) -> None:
        self.assertEqual(opened, {"online": APPEALS, "damage": []})
        self.assertEqual(found["registry"], EVERY)  # each once: sorted, with no repeat
        self.assertEqual(found["in_box"], [])
        self.assertEqual(found["damage"], [])

    def test_a_gathering_cut_by_a_restart_resumes_where_it_was(self):
        data_dir, key = self.killed(KILLED_WHILE_GATHERING)
        found, opened, then = printed_json(run_child(RESUMED.replace("KEY", key), data_dir))
        self.assertUntouched(found, shares=2)
        self.assertEachTakenOutOnce(opened, then)
        self.assertEqual(then["openings"], ["opened"])

    def test_an_opening_cut_halfway_by_a_restart_is_opened_again_whole(self):
        data_dir, key = self.killed(KILLED_WHILE_OPENING)
        found, opened, then = printed_json(run_child(RESUMED.replace("KEY", key), data_dir))
        # The half that went into the registry went back with the rest: nothing was committed.
        self.assertUntouched(found, shares=3)
        self.assertEachTakenOutOnce(opened, then)
        self.assertEqual(then["openings"], ["opened"])

    def test_an_opening_cut_halfway_by_a_restart_can_be_cancelled_and_held_again(self):
        data_dir, _key = self.killed(KILLED_WHILE_OPENING)
        found, cancelled, opened, then = printed_json(run_child(CANCELLED, data_dir))
        self.assertUntouched(found, shares=3)
        # Cancelled: its members' parts are wiped, the appeals wait in the box.
        self.assertEqual(cancelled["openings"], ["cancelled"])
        self.assertEqual(cancelled["shares_kept"], 0)
        self.assertEqual(cancelled["in_box"], EVERY)
        self.assertEachTakenOutOnce(opened, then)
        self.assertEqual(then["openings"], ["cancelled", "opened"])
