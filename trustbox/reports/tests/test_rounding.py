"""Controlled random rounding, and the attacker's arithmetic played against it (docs/privacy.md).

No database here: made-up districts and nations are rounded by the same functions the
publication uses, and every number the views would show is solved together.
"""

from __future__ import annotations

import random
import unittest
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustbox.box.envelope import Category, Kind
from trustbox.reports.publication import (
    OTHER,
    Count,
    DistrictTruth,
    QuarterTruth,
    outcome_classes,
    quarter_round,
)
from trustbox.reports.rounding import (
    Edge,
    UnbalancedNetwork,
    partition_network,
    round_network,
    table_network,
)
from trustbox.reports.tests.attack import attack_system, shown_of, small_counts_given_away
from trustbox.reports.tests.solver import System

# Run on SQLite only (scripts/test.sh): arithmetic of published numbers, no database.
pytestmark = pytest.mark.database_independent

CATEGORIES = [str(code) for code in Category.values]
KINDS = [str(code) for code in Kind.values]


def shown(counts: list[Count]) -> dict[tuple[Any, ...], int]:
    """What the views show of a quarter's counts, keyed as attack.py reads them."""
    return shown_of(counts, lambda district: district, lambda school: school)


def truth_of(appeals: list[tuple[int, int, str, str, bool, bool, str, str, str]]) -> QuarterTruth:
    """A quarter's truth from made-up appeals: (district, school, category, kind, urgent,
    overdue, outcome class, registration, answer)."""
    truth = QuarterTruth()
    for district, school, category, kind, urgent, overdue, outcome, registered, answered in appeals:
        found = truth.districts.setdefault(district, DistrictTruth())
        for counts, key in (
            (truth.categories, (district, category)),
            (found.schools, school),
            (found.kinds, kind),
            (found.urgent, "yes" if urgent else "no"),
            (found.overdue, "yes" if overdue else "no"),
            (found.outcome_registration, (outcome, registered)),
            (found.registration_answer, (registered, answered)),
        ):
            counts[key] = counts.get(key, 0) + 1
    return truth


@st.composite
def appeals(draw: Any) -> list[tuple[int, int, str, str, bool, bool, str, str, str]]:
    """A few appeals of up to 3 districts of up to 3 schools, as the registry's rules allow."""
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=30))):
        district = draw(st.integers(min_value=1, max_value=3))
        registered = draw(st.sampled_from(["in_time", "late", "none"]))
        answered = (
            "none" if registered == "none" else draw(st.sampled_from(["in_time", "late", "none"]))
        )
        outcome = OTHER if registered == "none" else draw(st.sampled_from(outcome_classes()))
        rows.append(
            (
                district,
                district * 10 + draw(st.integers(min_value=0, max_value=2)),
                draw(st.sampled_from(CATEGORIES[:4])),
                draw(st.sampled_from(KINDS[:3])),
                draw(st.booleans()),
                draw(st.booleans()),
                outcome,
                registered,
                answered,
            )
        )
    return rows


class RoundNetworkTestCase(unittest.TestCase):
    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=6),
            min_size=1,
            max_size=6,
        ).filter(lambda rows: len({len(r) for r in rows}) == 1),
        st.integers(min_value=3, max_value=5),
        st.integers(min_value=0, max_value=2**32),
    )
    def test_a_rounded_table_adds_up_and_no_count_moves_by_the_base_or_more(
        self, values, base, seed
    ):
        cells = {(r, c): n for r, row in enumerate(values) for c, n in enumerate(row)}
        network = table_network(cells)
        rounded = round_network(network, base=base, rng=random.Random(seed))
        for key, edge in network.items():
            self.assertEqual(rounded[key] % base, 0, key)
            self.assertLess(abs(rounded[key] - edge.value), base, key)
            if edge.value % base == 0:  # a multiple of the base (0 among them) stays as it is
                self.assertEqual(rounded[key], edge.value, key)
        for r, row in enumerate(values):
            self.assertEqual(
                sum(rounded[("cell", r, c)] for c in range(len(row))), rounded[("row", r)]
            )
        for c in range(len(values[0])):
            self.assertEqual(
                sum(rounded[("cell", r, c)] for r in range(len(values))), rounded[("column", c)]
            )
        self.assertEqual(sum(rounded[("row", r)] for r in range(len(values))), rounded[("total",)])

    def test_a_partition_reaches_the_total_the_nation_rounded_it_to(self):
        parts = {"a": 1, "b": 2, "c": 4, "d": 0}
        for seed in range(20):
            for total in (6, 9):
                rounded = round_network(
                    partition_network(parts),
                    base=3,
                    rng=random.Random(seed),
                    target=(("total",), total),
                )
                self.assertEqual(rounded[("total",)], total)
                self.assertEqual(sum(rounded[("part", k)] for k in parts), total)
                self.assertEqual(rounded[("part", "d")], 0)

    def test_rounding_is_unbiased_on_average(self):
        parts = {"a": 1, "b": 2, "c": 1}
        rng = random.Random(7)
        runs = [round_network(partition_network(parts), base=3, rng=rng) for _ in range(3000)]
        for key, true in (("a", 1), ("b", 2)):
            mean = sum(run[("part", key)] for run in runs) / len(runs)
            self.assertAlmostEqual(mean, true, delta=0.2)

    def test_counts_that_do_not_add_up_are_refused(self):
        with self.assertRaises(UnbalancedNetwork):
            round_network({"x": Edge("a", "b", 2)}, base=3, rng=random.Random(1))


class AttackTestCase(unittest.TestCase):
    """The solver finds what the old rule and independent rounding gave away."""

    def test_the_solver_pins_what_suppression_gave_away(self):
        # Deadlines of the issue: registered in time 39, late «<3» (1 or 2), total 40.
        system = System()
        system.published("total", 40, 0)
        system.published("in time", 39, 0)
        system.unknown("late", 1, 2)
        system.at_most(["in time", "late"], ["total"])
        self.assertEqual(system.possible("late", range(0, 5)), [1])
        # The nation's row of the issue: 69 = 67 shown + «<3» + «<3».
        system = System()
        system.published("total", 69, 0)
        system.published("a", 67, 0)
        system.unknown("b", 1, 2)
        system.unknown("c", 1, 2)
        system.total(["a", "b", "c"], "total")
        self.assertEqual(system.possible("b", range(0, 5)), [1])
        self.assertEqual(system.possible("c", range(0, 5)), [1])

    def test_independent_rounding_of_each_number_can_pin_a_two_and_controlled_rounding_cannot(self):
        # True: 2 + 5 = 7 in a district; each rounded on its own to 0, 3 and 9 (each with 1/3).
        published: dict[tuple[Any, ...], int] = {
            ("d", "kind", "a"): 0,
            ("d", "kind", "b"): 3,
            ("d", "total"): 9,
            ("d", "school", 1): 9,
            ("d", "category", "x"): 9,
        }
        truth: dict[tuple[Any, ...], int] = {
            ("d", "kind", "a"): 2,
            ("d", "kind", "b"): 5,
            ("d", "total"): 7,
        }
        truth |= {("d", "school", 1): 7, ("d", "category", "x"): 7}
        system = attack_system(published, off=2)
        self.assertEqual(
            small_counts_given_away(system, truth, published), [(("d", "kind", "a"), 2)]
        )
        # Controlled: the same district, the kinds rounded to add up to the published total.
        rows = [(1, 1, "bullying", "request", False, False, OTHER, "none", "none")] * 2
        rows += [(1, 1, "bullying", "complaint", False, False, OTHER, "none", "none")] * 5
        true = shown(quarter_round(truth_of(rows), base=1, rng=random.Random(0)))
        for seed in range(30):
            published = shown(quarter_round(truth_of(rows), base=3, rng=random.Random(seed)))
            system = attack_system(published, off=2)
            self.assertEqual(small_counts_given_away(system, true, published), [], seed)


class PublishedQuarterTestCase(unittest.TestCase):
    """Random districts and nations: every number the views show, solved together."""

    @settings(max_examples=60, deadline=None)
    @given(appeals(), st.integers(min_value=0, max_value=2**32))
    def test_no_count_of_one_or_two_is_pinned_or_narrowed_to_one_or_two(self, rows, seed):
        truth = truth_of(rows)
        published = shown(quarter_round(truth, base=3, rng=random.Random(seed)))
        true = shown(quarter_round(truth, base=1, rng=random.Random(0)))
        self.assertEqual(set(published), set(true))
        system = attack_system(published, off=2)
        self.assertEqual(small_counts_given_away(system, true, published), [])

    @settings(max_examples=100, deadline=None)
    @given(appeals(), st.integers(min_value=0, max_value=2**32))
    def test_every_published_number_is_within_two_of_the_truth_and_a_multiple_of_three(
        self, rows, seed
    ):
        truth = truth_of(rows)
        published = quarter_round(truth, base=3, rng=random.Random(seed))
        true = quarter_round(truth, base=1, rng=random.Random(0))
        self.assertEqual(len(published), len(true))
        for rounded, exact in zip(published, true, strict=True):
            self.assertEqual(
                (rounded.district, rounded.table, rounded.key),
                (exact.district, exact.table, exact.key),
            )
            self.assertEqual(rounded.value % 3, 0)
            self.assertLessEqual(abs(rounded.value - exact.value), 2, rounded)
            if exact.value == 0:
                self.assertEqual(rounded.value, 0)
