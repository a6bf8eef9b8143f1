"""Every figure of a school's report, against a data set made by hand."""

from __future__ import annotations

import datetime

from trustbox.registry.models import Status
from trustbox.reports.figures import school_figures
from trustbox.reports.periods import Quarter
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.test import BaseTestCase

Q3 = Quarter(2026, 3)
AS_OF = datetime.date(2026, 10, 2)
D = datetime.date


def hand_made() -> list[Spec]:
    return [
        Spec(D(2026, 7, 6), outcome="psychologist", answered_after=5),
        Spec(
            D(2026, 7, 6),
            source="paper",
            signed=True,
            urgent=True,
            status=Status.ANSWERED,
            outcome="social_pedagogue",
            registered_after=3,
            answered_after=20,
        ),
        Spec(
            D(2026, 8, 10),
            kind="proposal",
            category="school_life",
            signed=True,
            outcome="proposal_accepted",
            registered_after=0,
            answered_after=2,
        ),
        Spec(
            D(2026, 8, 10),
            kind="message",
            category="health",
            urgent=True,
            status=Status.CONSIDERING,
            answered_after=None,
            answer_within=3,
        ),
        Spec(D(2026, 9, 28), category="canteen", registered_after=None),
        Spec(
            D(2026, 9, 29),
            kind="gratitude",
            category="other",
            status=Status.REGISTERED,
            answered_after=None,
        ),
        Spec(D(2026, 7, 20), category="violence", outcome="inspector", answered_after=3),
        # The quarter before, the same quarter a year before, and the next quarter.
        Spec(D(2026, 4, 5)),
        Spec(D(2026, 5, 5), category="canteen"),
        Spec(D(2025, 7, 10)),
        Spec(D(2025, 8, 10)),
        Spec(D(2025, 9, 10)),
        Spec(D(2026, 10, 1)),
    ]


class SchoolFiguresTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        appeals_make(cls.school, cls.responsible, hand_made())
        appeals_make(cls.other_school, cls.other_director, [Spec(D(2026, 7, 6))])

    def figures(self):
        return school_figures(self.school, Q3.start, Q3.end, as_of=AS_OF)

    def test_it_counts_the_appeals_of_the_quarter_by_kind_category_and_way(self):
        f = self.figures()
        self.assertEqual(f["total"], 7)
        self.assertEqual(
            f["by_kind"], {"proposal": 1, "complaint": 4, "message": 1, "gratitude": 1}
        )
        self.assertEqual(
            f["by_category"],
            {
                "bullying": 2,
                "violence": 1,
                "canteen": 1,
                "health": 1,
                "school_life": 1,
                "other": 1,
            },
        )
        self.assertEqual(f["by_source"], {"online": 6, "paper": 1})
        self.assertEqual((f["signed"], f["anonymous"], f["urgent"]), (2, 5, 2))

    def test_it_counts_statuses_outcomes_and_referrals(self):
        f = self.figures()
        self.assertEqual(
            f["by_status"],
            {"taken_out": 1, "registered": 1, "considering": 1, "answered": 1, "closed": 3},
        )
        self.assertEqual(
            f["by_outcome"],
            {"psychologist": 1, "social_pedagogue": 1, "inspector": 1, "proposal_accepted": 1},
        )
        self.assertEqual(f["referrals"], {"psychologist": 1, "social_pedagogue": 1, "inspector": 1})
        self.assertEqual(f["referred"], 3)

    def test_it_counts_deadlines_met_and_missed_and_the_days_taken(self):
        f = self.figures()
        self.assertEqual(
            f["registration"],
            {
                "registered": 6,
                "in_time": 5,
                "late": 1,
                "waiting": 1,
                "overdue": 1,
                "average_days": 1.2,  # (1 + 3 + 0 + 1 + 1 + 1) / 6
                "max_days": 3,
            },
        )
        self.assertEqual(
            f["answers"],
            {
                "answered": 4,
                "in_time": 3,
                "late": 1,
                "open": 2,
                "overdue": 1,
                "average_days": 7.5,  # (5 + 20 + 2 + 3) / 4
                "max_days": 20,
            },
        )

    def test_it_compares_with_the_quarter_before_and_the_same_quarter_a_year_before(self):
        f = self.figures()
        self.assertEqual(
            (f["previous"]["start"], f["previous"]["end"]), ("2026-04-01", "2026-06-30")
        )
        self.assertEqual(f["previous"]["total"], 2)
        self.assertEqual(f["previous"]["by_category"], {"bullying": 1, "canteen": 1})
        self.assertEqual(
            (f["last_year"]["start"], f["last_year"]["end"]), ("2025-07-01", "2025-09-30")
        )
        self.assertEqual(f["last_year"]["total"], 3)
        self.assertEqual(f["last_year"]["by_kind"], {"complaint": 3})

    def test_it_counts_openings_and_says_meetings_are_not_yet_counted(self):
        f = self.figures()
        self.assertEqual(f["openings"], {"held": 5, "taken_out": 7})
        self.assertIsNone(f["meetings"])

    def test_a_period_that_is_not_a_quarter_compares_with_the_days_just_before(self):
        f = school_figures(self.school, D(2026, 7, 6), D(2026, 7, 19), as_of=AS_OF)
        self.assertEqual(f["total"], 2)
        self.assertEqual(
            (f["previous"]["start"], f["previous"]["end"]), ("2026-06-22", "2026-07-05")
        )
        self.assertEqual(f["last_year"]["start"], "2025-07-06")

    def test_an_empty_period_has_zeros_and_no_averages(self):
        f = school_figures(self.school, D(2024, 1, 1), D(2024, 3, 31), as_of=AS_OF)
        self.assertEqual(f["total"], 0)
        self.assertIsNone(f["answers"]["average_days"])
        self.assertIsNone(f["registration"]["max_days"])
