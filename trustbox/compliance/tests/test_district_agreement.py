"""The district's analytics and its compliance page say the same of every school (issue 21, 4).

Schools seeded in several states: a report in time, late, missed, one whose signature no longer
verifies, a commission without a box, a commission appointed after the quarter's deadline, and a
school without a commission.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from trustbox.commission.services import commission_appoint
from trustbox.compliance.tests.agreement import district_disagreements
from trustbox.reports import services
from trustbox.reports.district import district_view
from trustbox.reports.models import Freeze, Report, Tally
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.models import Membership, School
from trustbox.schools.periods import Quarter
from trustbox.test import PASSWORD, BaseTestCase, make_person, make_school_with_commission

ORDER = datetime.date(2026, 9, 2)  # the order of every seeded commission (trustbox/test.py)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))


class DistrictAnalyticsAndComplianceAgreeTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.quarter = Quarter.of(cls.today).previous()
        first_day = max(cls.quarter.start, ORDER) + datetime.timedelta(days=6)
        made = {"alatoo": {"school": cls.school, "members": cls.members}}
        for slug in ("late", "missed", "forged", "nobox"):
            made[slug] = make_school_with_commission(slug, cls.district)
        for slug in ("alatoo", "late", "missed", "forged"):
            school, responsible = made[slug]["school"], made[slug]["members"][0]
            appeals_make(school, responsible, [Spec(first_day), Spec(first_day)])
        cls.finalise(made["alatoo"], on=cls.quarter.due_on - datetime.timedelta(days=1))
        cls.finalise(made["late"], on=cls.quarter.due_on + datetime.timedelta(days=1))
        forged = cls.finalise(made["forged"], on=cls.quarter.due_on)
        # Changed in the database after it was signed: its signature no longer verifies.
        Report.objects.filter(pk=forged.pk).update(analysis="Changed afterwards.")
        recent = School.objects.create(district=cls.district, name="School recent", slug="recent")
        director = make_person(recent, "recent-director", kind=Membership.Kind.DIRECTOR)
        members = [make_person(recent, f"recent-member{i}") for i in range(1, 3)]
        members.append(make_person(recent, "recent-parent", kind=Membership.Kind.PARENT))
        commission_appoint(
            school=recent,
            by=director,
            order_number="1",
            order_date=cls.quarter.due_on + datetime.timedelta(days=1),
            members=members,
            parents_representative=members[2],
            responsible=members[0],
        )
        School.objects.create(district=cls.district, name="School new", slug="new")

    @classmethod
    def finalise(cls, made: dict, *, on: datetime.date) -> Report:
        school, responsible = made["school"], made["members"][0]
        report = services.report_open(
            school=school, start=cls.quarter.start, end=cls.quarter.end, by=responsible
        )
        report = services.report_finalise(report=report, by=responsible, password=PASSWORD)
        Report.objects.filter(pk=report.pk).update(finalised_at=_at(on))
        report.signatures.update(signed_at=_at(on))
        return report

    def test_every_school_reads_the_same_on_both_pages_and_in_its_registry(self):
        self.assertEqual(district_disagreements(self.district, self.today), [])

    def test_the_report_column_judges_as_line_4_6(self):
        with translation.override("en"):
            view = district_view(self.district, self.quarter)
        cells = {line.school.slug: line.report_cell for line in view.lines}
        self.assertEqual((cells["new"].level, cells["new"].summary), ("grey", "no commission then"))
        self.assertEqual(cells["recent"].level, "grey")
        self.assertEqual(
            (cells["forged"].level, cells["forged"].summary), ("red", "the report does not verify")
        )
        self.assertEqual(cells["late"].summary, "report late")
        self.assertEqual(cells["alatoo"].level in ("green", "amber"), True)
        owed = "red" if self.today > self.quarter.due_on else "amber"
        self.assertEqual((cells["missed"].level, cells["nobox"].level), (owed, owed))
        # Missing: owed and not finalised; a school that had no commission then owed none.
        self.assertEqual({line.school.slug for line in view.missing}, {"missed", "nobox"})

    def test_counts_without_a_commission_behind_them_are_named(self):
        # What the old demo did: a school with no commission given frozen counts.
        new = School.objects.get(slug="new")
        Freeze.objects.create(school=new, quarter=self.quarter.start, reason="deadline")
        Tally.objects.create(
            school=new,
            district=self.district,
            quarter=self.quarter.start,
            kind="complaint",
            category="bullying",
            source="online",
            signed=False,
            urgent=False,
            status="closed",
            outcome="resolved",
            registered_in_time=True,
            answered_in_time=True,
            overdue=False,
            count=15,
        )
        problems = district_disagreements(self.district, self.today)
        self.assertTrue(any(problem.startswith("new: ") for problem in problems), problems)
