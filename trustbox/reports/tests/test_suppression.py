"""Small numbers never leave the commission: suppression, and the differencing attacks it stops."""

from __future__ import annotations

import csv
import datetime
import io
import unittest

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from trustbox.box.envelope import Category
from trustbox.registry.models import Appeal
from trustbox.reports.district import district_view, quarters_open
from trustbox.reports.figures import appeals_between, cube, summary
from trustbox.reports.models import Freeze, NationalViewer
from trustbox.reports.periods import Quarter
from trustbox.reports.suppression import PRIMARY, _equations, suppress
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.test import BaseTestCase, make_person, make_school_with_commission


def shown_quarter() -> Quarter:
    """The latest quarter the district may see today: ended and past its report's deadline."""
    return quarters_open(timezone.localdate())[0]


class SuppressTestCase(unittest.TestCase):
    def test_a_count_under_the_threshold_shows_as_under_three_and_zero_shows(self):
        table = suppress(["a", "b", "c"], ["n"], [[1], [2], [0]])
        self.assertEqual([str(row[0]) for row in table.cells], ["<3", "<3", "0"])

    def test_a_lone_small_cell_of_a_row_is_hidden_with_another(self):
        table = suppress(["a", "b"], ["x", "y", "z"], [[1, 5, 9], [4, 6, 8]])
        self.assertEqual(table.cells[0][0].hidden, PRIMARY)
        row = [cell for cell in [*table.cells[0], table.row_totals[0]] if cell.is_hidden]
        self.assertGreaterEqual(len(row), 2)
        self.assertEqual(str(table.cells[0][1]), "×")  # the smallest other cell of the row

    def test_totals_are_the_true_totals_never_sums_of_shown_cells(self):
        table = suppress(["a", "b", "c"], ["n"], [[2], [5], [7]], keep_totals=True)
        self.assertEqual(str(table.total), "14")

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5),
            min_size=1,
            max_size=6,
        ).filter(lambda rows: len({len(r) for r in rows}) == 1),
        st.booleans(),
    )
    def test_no_equation_of_any_table_ever_has_exactly_one_hidden_number(self, values, keep):
        table = suppress(
            [str(i) for i in range(len(values))],
            [str(i) for i in range(len(values[0]))],
            values,
            keep_totals=keep,
        )
        for equation in _equations(table):
            distinct = {id(cell) for cell in equation}
            hidden = {id(cell) for cell in equation if cell.is_hidden}
            if len(distinct) > 1:  # x = x (one cell that is its own total) tells nothing
                self.assertNotEqual(len(hidden), 1, [(c.value, c.hidden) for c in equation])
        for row in table.cells:
            for cell in row:
                if 0 < cell.value < 3:
                    self.assertTrue(cell.is_hidden)


@override_settings(SMALL_COUNT=3)
class DifferencingTestCase(BaseTestCase):
    """A district of three schools: one with two appeals in the quarter, a small count."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.quarter = shown_quarter()
        cls.small = make_school_with_commission("small", cls.district)["school"]
        cls.middle = make_school_with_commission("middle", cls.district)["school"]
        day = cls.quarter.start + datetime.timedelta(days=10)
        last_week = cls.quarter.end - datetime.timedelta(days=3)
        appeals_make(cls.school, cls.responsible, [Spec(day)] * 7)
        appeals_make(cls.middle, cls.responsible, [Spec(day, category="canteen")] * 5)
        # The small school: one appeal early in the quarter, one in its last week.
        appeals_make(cls.small, cls.responsible, [Spec(day), Spec(last_week, category="violence")])

    def cells(self):
        view = district_view(self.district, self.quarter)
        return {line.school.slug: str(line.appeals) for line in view.lines}, view

    def test_a_school_with_a_small_count_shows_under_three_and_another_school_is_hidden_too(self):
        cells, view = self.cells()
        self.assertEqual(cells["small"], "<3")
        self.assertEqual(str(view.total), "14")
        # Without the second hidden cell: 14 - 7 - 5 = 2 would give the small school away.
        self.assertEqual(cells["middle"], "×")
        self.assertEqual(cells["alatoo"], "7")

    def test_two_overlapping_periods_would_give_one_appeal_away_but_no_view_takes_a_period(self):
        appeals = Appeal.objects.filter(school=self.small)
        whole = summary(
            cube(
                appeals_between(appeals, self.quarter.start, self.quarter.end),
                as_of=self.quarter.end,
            )
        )
        but_a_week = summary(
            cube(
                appeals_between(
                    appeals, self.quarter.start, self.quarter.end - datetime.timedelta(days=7)
                ),
                as_of=self.quarter.end,
            )
        )
        # The attack, were periods free: the difference is one appeal, and its category.
        self.assertEqual(whole["total"] - but_a_week["total"], 1)
        self.assertEqual(
            whole["by_category"].get("violence", 0) - but_a_week["by_category"].get("violence", 0),
            1,
        )
        # The views take a quarter by name only; free days are ignored, other quarters refused.
        client = self.login(self.viewer)
        url = reverse("analytics:district", args=[self.district.slug])
        plain = client.get(url)
        days = client.get(
            url, {"start": self.quarter.start, "end": self.quarter.end - datetime.timedelta(days=7)}
        )
        self.assertEqual(plain.status_code, 200)
        self.assertEqual(plain.context["quarter"], days.context["quarter"])
        self.assertEqual(
            [str(line.appeals) for line in plain.context["view"].lines],
            [str(line.appeals) for line in days.context["view"].lines],
        )
        self.assertEqual(
            client.get(url, {"quarter": "2026-07-01"}).status_code, 200
        )  # not a quarter: default
        export = reverse("analytics:export", args=[self.district.slug, "csv"])
        self.assertEqual(
            client.get(export, {"quarter": str(Quarter.of(timezone.localdate()))}).status_code, 404
        )

    def test_a_quarter_not_past_its_deadline_is_not_shown(self):
        client = self.login(self.viewer)
        url = reverse("analytics:district", args=[self.district.slug])
        current = Quarter.of(timezone.localdate())
        self.assertEqual(client.get(url, {"quarter": str(current)}).status_code, 404)
        self.assertNotIn(current, [q for q, _name in client.get(url).context["offered"]])

    def test_two_looks_at_one_quarter_show_the_same_numbers_after_a_late_appeal(self):
        first, view = self.cells()
        self.assertTrue(
            Freeze.objects.filter(school=self.small, quarter=self.quarter.start).exists()
        )
        # An appeal of that quarter comes out of the box late (the box opened after the freeze).
        appeals_make(self.small, self.responsible, [Spec(self.quarter.end, category="violence")])
        live = Appeal.objects.filter(school=self.small)
        live_total = summary(
            cube(
                appeals_between(live, self.quarter.start, self.quarter.end), as_of=self.quarter.end
            )
        )["total"]
        self.assertEqual(live_total, 3)  # a live count would now show 3 where it showed <3
        second, view2 = self.cells()
        self.assertEqual(first, second)
        self.assertEqual(str(view.total), str(view2.total))

    def test_exports_carry_the_suppressed_cells_only(self):
        client = self.login(self.viewer)
        url = reverse("analytics:export", args=[self.district.slug, "csv"])
        rows = list(
            csv.reader(
                io.StringIO(
                    client.get(url, {"quarter": str(self.quarter)}).content.decode("utf-8-sig")
                )
            )
        )
        by_school = {row[0]: row[3] for row in rows if len(row) == 4}
        self.assertEqual(by_school["School small"], "<3")
        self.assertEqual(by_school["School middle"], "×")
        xlsx = client.get(
            reverse("analytics:export", args=[self.district.slug, "xlsx"]),
            {"quarter": str(self.quarter)},
        )
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        values = {
            row[0]: row[3]
            for row in sheet.iter_rows(values_only=True)
            if row and len(row) >= 4 and row[3]
        }
        self.assertEqual(values["School small"], "<3")

    def test_the_district_sees_only_its_own_district_and_staff_see_no_district(self):
        client = self.login(self.other_director)
        self.assertEqual(
            client.get(reverse("analytics:district", args=[self.district.slug])).status_code, 404
        )

    def test_the_nation_is_for_the_operator_and_national_viewers_only(self):
        url = reverse("analytics:nation")
        self.assertEqual(self.login(self.viewer).get(url).status_code, 404)
        response = self.login(self.operator).get(url)
        self.assertEqual(response.status_code, 200)
        national = make_person(None, "national")
        NationalViewer.objects.create(user=national)
        response = self.login(national).get(url, {"quarter": str(self.quarter)})
        table = response.context["view"].table
        district_row = table.rows.index(self.district.name)
        violence = list(Category.values).index("violence")
        self.assertEqual(str(table.cells[district_row][violence]), "<3")
