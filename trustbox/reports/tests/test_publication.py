"""What leaves the commission, read as an attacker reads it: every view, every quarter, solved.

A seeded nation of two districts: the district viewers' pages, CSV and XLSX and PDF reports of
every quarter offered, and the national view, are read as a person gets them; every number is
put into one system of equations with the legend's bounds (attack.py), solved exactly, and no
count of 1 or 2 comes out (docs/privacy.md).
"""

from __future__ import annotations

import csv
import datetime
import io
import subprocess
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from trustbox.box.envelope import Category, Kind
from trustbox.registry.models import Appeal, Outcome
from trustbox.reports.district import district_view, quarters_open
from trustbox.reports.district_report import district_pdf
from trustbox.reports.documents import label, quarter_name
from trustbox.reports.figures import REFERRALS, appeals_between, cube, summary
from trustbox.reports.freeze import quarter_publish
from trustbox.reports.models import Freeze, NationalViewer, Publication, PublishedCount
from trustbox.reports.publication import quarter_round, quarter_truth
from trustbox.reports.tests.attack import attack_system, shown_of, small_counts_given_away
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.models import DistrictViewer, School
from trustbox.schools.periods import Quarter
from trustbox.test import BaseTestCase, make_person, make_school_with_commission

FIGURES = {
    "registered in time": ("registration", "in_time"),
    "registered late": ("registration", "late"),
    "answered in time": ("answer", "in_time"),
    "answered late": ("answer", "late"),
    "waiting past the deadline": ("overdue",),
    "urgent": ("urgent",),
}


def shown_quarter() -> Quarter:
    """The latest quarter the district may see today: ended and past its report's deadline."""
    return quarters_open(timezone.localdate())[0]


class Tables(HTMLParser):
    """Every table row of a page: its cells' texts, and whether each is a number cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, bool]]] = []
        self._cell: list[str] | None = None
        self._number = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._number = [], ("class", "number") in attrs

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((" ".join("".join(self._cell).split()), self._number))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def page_rows(html: bytes) -> list[list[tuple[str, bool]]]:
    parser = Tables()
    parser.feed(html.decode())
    return parser.rows


class Reading:
    """Every number read, by quarter and meaning; the same meaning must read the same everywhere."""

    def __init__(self) -> None:
        self.numbers: dict[Quarter, dict[tuple[Any, ...], int]] = {}
        self.conflicts: list[str] = []

    def put(self, quarter: Quarter, key: tuple[Any, ...], text: str, where: str) -> None:
        if text == "—":
            return
        value = int(text)
        found = self.numbers.setdefault(quarter, {})
        if found.setdefault(key, value) != value:
            self.conflicts.append(f"{quarter} {key}: {found[key]} and {value} ({where})")


@override_settings(ROUNDING_BASE=3)
class PublishedNationTestCase(BaseTestCase):
    """Two districts, five schools, appeals over three quarters with many counts of 1 and 2."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        offered = quarters_open(timezone.localdate())
        cls.quarter = offered[0]
        cls.small = make_school_with_commission("small", cls.district)["school"]
        cls.middle = make_school_with_commission("middle", cls.district)["school"]
        cls.tiny = make_school_with_commission("tiny", cls.other_school.district)["school"]
        cls.other_viewer = make_person(None, "viewer2")
        DistrictViewer.objects.create(user=cls.other_viewer, district=cls.other_school.district)
        cls.national = make_person(None, "national")
        NationalViewer.objects.create(user=cls.national)
        for quarter in offered[:3]:
            day = quarter.start + datetime.timedelta(days=10)
            late = Spec(day, category="violence", registered_after=4, urgent=True)
            referred = Spec(day, outcome=Outcome.PSYCHOLOGIST, kind="message")
            appeals_make(cls.school, cls.responsible, [Spec(day)] * 7 + [late])
            appeals_make(cls.middle, cls.responsible, [Spec(day, category="canteen")] * 4)
            appeals_make(cls.small, cls.responsible, [referred, Spec(day, category="family")])
            appeals_make(cls.other_school, cls.responsible, [Spec(day, category="family")] * 5)
            appeals_make(
                cls.tiny, cls.responsible, [late, Spec(day, answered_after=30, kind="request")]
            )

    # --- reading every view as a person gets it ----------------------------------------------

    def read_district(self, reading: Reading, viewer: Any, district: Any, quarter: Quarter) -> None:
        client = self.login(viewer)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        args = {"quarter": str(quarter)}
        rows = list(
            csv.reader(
                io.StringIO(
                    client.get(
                        reverse("analytics:export", args=[district.slug, "csv"]), args
                    ).content.decode("utf-8-sig")
                ),
                delimiter=";",
            )
        )
        xlsx = client.get(reverse("analytics:export", args=[district.slug, "xlsx"]), args)
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        self.assertEqual(
            [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ],
            [row + [""] * (sheet.max_column - len(row)) for row in rows],
        )
        self.read_rows(reading, district.slug, quarter, rows, "csv")
        page = client.get(reverse("analytics:district", args=[district.slug]), args)
        self.assertContains(page, "Numbers are rounded to protect children.")
        self.assertContains(page, "up to 2 more or less")
        page_numbers = [
            (row[0][0], [text for text, number in row if number])
            for row in page_rows(page.content)
            if row and any(number for _text, number in row)
        ]
        csv_numbers = [
            (row[0], [value for value in row[1:] if value.isdigit() or value == "—"])
            for row in rows
            if len(row) > 1 and row[0] and any(v.isdigit() or v == "—" for v in row[1:])
        ]
        self.assertEqual(page_numbers, csv_numbers)
        with translation.override("en"):
            pdf = district_pdf(district, quarter)
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn("Numbers are rounded to protect children.", " ".join(text.split()))
        lines = [line.split() for line in text.splitlines()]
        for name, values in csv_numbers:
            if len(name) > 24 or name.startswith("School") or name == "Total":
                continue  # long labels wrap; schools end in their meetings; totals are many
            found = [
                line
                for line in lines
                if " ".join(line[: len(name.split())]) == name
                and len(line) == len(name.split()) + len(values)
            ]
            self.assertTrue(found, name)
            self.assertEqual(found[0][-len(values) :], values, name)

    def read_rows(
        self, reading: Reading, district: str, quarter: Quarter, rows: list[list[str]], where: str
    ) -> None:
        with translation.override("en"):
            codes = {label("category", c): ("category", c) for c in Category.values}
            codes |= {label("kind", c): ("kind", c) for c in Kind.values}
            codes |= {label("outcome", c): ("outcome", str(c)) for c in REFERRALS}
            names = {quarter_name(q): q for q in Quarter.of(timezone.localdate()).last(40)}
        quarters: list[Quarter] = []
        for row in rows:
            if len(row) == 5 and row[0].startswith("School "):
                reading.put(quarter, (district, "school", row[0]), row[4], where)
            elif len(row) > 2 and all(cell in names for cell in row[1:]):
                quarters = [names[name] for name in row[1:]]
            elif row and row[0] == "Total" and quarters:
                for q, value in zip(quarters, row[1:], strict=True):
                    reading.put(q, (district, "total"), value, where)
            elif len(row) == 5 and row[0] == "Total":
                reading.put(quarter, (district, "total"), row[4], where)
            elif row and row[0] in codes and len(row) == len(quarters) + 1:
                for q, value in zip(quarters, row[1:], strict=True):
                    reading.put(q, (district, *codes[row[0]]), value, where)
            elif len(row) == 2 and row[0] in FIGURES:
                reading.put(quarter, (district, *FIGURES[row[0]]), row[1], where)
            elif len(row) == 2 and row[0] in codes:
                reading.put(quarter, (district, *codes[row[0]]), row[1], where)

    def read_nation(self, reading: Reading, quarter: Quarter) -> None:
        client = self.login(self.national)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(reverse("analytics:nation"), {"quarter": str(quarter)})
        self.assertContains(page, "Numbers are rounded to protect children.")
        rows = page_rows(page.content)
        with translation.override("en"):
            codes = {label("category", c): c for c in Category.values}
        header = [text for text, _number in rows[0]]
        slugs = {"Ala-Too district": "ala-too", "Other district": "other-district"}
        for row in rows[1:]:
            who = slugs.get(row[0][0], "nation")
            for column, (text, _number) in zip(header[1:], row[1:], strict=True):
                key = (who, "total") if column == "Total" else (who, "category", codes[column])
                reading.put(quarter, key, text, "national")

    def truth(self, quarter: Quarter) -> dict[tuple[Any, ...], int]:
        """The true counts of the quarter, keyed as the reading is."""
        true = quarter_round(quarter_truth(quarter), base=1, rng=None)
        slugs = {d.pk: d.slug for d in (self.district, self.other_school.district)}
        names = dict(School.objects.values_list("pk", "name"))
        return shown_of(true, slugs.__getitem__, names.__getitem__)

    def read_everything(self) -> Reading:
        reading = Reading()
        for quarter in quarters_open(timezone.localdate()):
            self.read_district(reading, self.viewer, self.district, quarter)
            self.read_district(reading, self.other_viewer, self.other_school.district, quarter)
            self.read_nation(reading, quarter)
        return reading

    # --- the tests ------------------------------------------------------------------------

    def test_every_view_of_every_quarter_solved_together_pins_no_count_of_one_or_two(self):
        reading = self.read_everything()
        self.assertEqual(reading.conflicts, [])
        small_seen = 0
        for quarter in quarters_open(timezone.localdate()):
            published = reading.numbers[quarter]
            true = self.truth(quarter)
            self.assertEqual(set(published), set(true), quarter)
            small_seen += sum(1 for value in true.values() if value in (1, 2))
            system = attack_system(published, off=2)
            self.assertEqual(small_counts_given_away(system, true, published), [], quarter)
        self.assertGreaterEqual(small_seen, 30)  # the seeded nation has counts of 1 and 2

    def test_every_published_number_is_a_multiple_of_three_within_two_of_the_truth(self):
        reading = self.read_everything()
        for quarter, published in reading.numbers.items():
            true = self.truth(quarter)
            for key, value in published.items():
                self.assertEqual(value % 3, 0, key)
                self.assertLessEqual(abs(value - true[key]), 2, (quarter, key, true[key], value))
                if true[key] == 0:
                    self.assertEqual(value, 0, key)

    def test_the_same_quarter_reads_the_same_in_every_view_and_after_a_late_appeal(self):
        first = self.read_everything()
        self.assertEqual(first.conflicts, [])
        self.assertTrue(
            Freeze.objects.filter(school=self.small, quarter=self.quarter.start).exists()
        )
        publications = Publication.objects.count()
        appeals_make(self.small, self.responsible, [Spec(self.quarter.end, category="violence")])
        second = self.read_everything()
        self.assertEqual(first.numbers, second.numbers)
        self.assertEqual(Publication.objects.count(), publications)
        # Publishing again changes nothing: a quarter is rounded once.
        counts = PublishedCount.objects.count()
        quarter_publish(quarter=self.quarter)
        self.assertEqual(PublishedCount.objects.count(), counts)

    def test_the_schools_own_report_keeps_exact_numbers(self):
        appeals = Appeal.objects.filter(school=self.small)
        exact = summary(
            cube(
                appeals_between(appeals, self.quarter.start, self.quarter.end),
                as_of=self.quarter.end,
            )
        )
        self.assertEqual(exact["total"], 2)  # inside the commission: 2, as it is
        view = district_view(self.district, self.quarter)
        (line,) = [line for line in view.lines if line.school == self.small]
        self.assertIn(line.appeals, (0, 3))  # outside it: rounded

    def test_two_overlapping_periods_are_never_offered(self):
        client = self.login(self.viewer)
        url = reverse("analytics:district", args=[self.district.slug])
        plain = client.get(url)
        days = client.get(
            url, {"start": self.quarter.start, "end": self.quarter.end - datetime.timedelta(days=7)}
        )
        self.assertEqual(plain.context["quarter"], days.context["quarter"])
        self.assertEqual(
            [line.appeals for line in plain.context["view"].lines],
            [line.appeals for line in days.context["view"].lines],
        )
        export = reverse("analytics:export", args=[self.district.slug, "csv"])
        current = str(Quarter.of(timezone.localdate()))
        self.assertEqual(client.get(export, {"quarter": current}).status_code, 404)
        self.assertEqual(client.get(url, {"quarter": current}).status_code, 404)
        self.assertNotIn(
            Quarter.of(timezone.localdate()), [q for q, _name in client.get(url).context["offered"]]
        )

    def test_the_district_sees_only_its_own_district_and_the_nation_is_for_national_viewers(self):
        url = reverse("analytics:district", args=[self.district.slug])
        self.assertEqual(self.login(self.other_director).get(url).status_code, 404)
        self.assertEqual(self.login(self.viewer).get(reverse("analytics:nation")).status_code, 404)
        self.assertEqual(
            self.login(self.operator).get(reverse("analytics:nation")).status_code, 200
        )
