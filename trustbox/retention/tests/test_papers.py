"""The other records past their period: a to-do line by kind, year and count, until confirmed."""

import datetime
from collections import Counter

from django.urls import reverse
from django.utils import timezone

from trustbox.audit.models import AuditEntry
from trustbox.core.records_past import records_past_period
from trustbox.core.todo import records_todos
from trustbox.openings.models import Opening
from trustbox.reports.models import Report
from trustbox.retention.actions import RetentionAction
from trustbox.retention.tests.helpers import RetentionSteps
from trustbox.test import BaseTestCase


class PapersPastTheirPeriodTestCase(RetentionSteps, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()
        for years_back in (6, 5, 2):  # reports: kept 5 years after their year
            year = self.today.year - years_back
            Report.objects.create(
                school=self.school,
                start=datetime.date(year, 1, 1),
                end=datetime.date(year, 3, 31),
                status=Report.Status.FINAL,
            )

    def todos(self, user, today=None):
        self.login(user)
        request = self.client.get(reverse("core:dashboard", args=[self.school.slug])).wsgi_request
        return list(records_todos(request, self.school, today or self.today))

    def opening_years(self, last: int) -> tuple[tuple[int, int], ...]:
        years = Counter(
            timezone.localtime(opened_at).year
            for opened_at in Opening.objects.filter(school=self.school).values_list(
                "opened_at", flat=True
            )
        )
        return tuple(sorted((year, n) for year, n in years.items() if year <= last))

    def test_the_responsible_person_has_a_line_by_kind_year_and_count_until_she_confirms(self):
        acts = self.opening_years(self.today.year - 6)  # 5 years, from the next 1st of January
        journal = self.opening_years(self.today.year - 11)  # 10 years
        self.assertTrue(acts and journal)
        found = records_past_period(self.school, self.today)
        self.assertEqual(
            [(record.kind.field, record.years) for record in found],
            [
                ("removal_acts", acts),
                ("journal", journal),
                ("reports", ((self.today.year - 6, 1),)),
            ],
        )
        (todo,) = self.todos(self.responsible)
        self.assertIn("Acts of removal: " + ", ".join(f"{y} ({n})" for y, n in acts), todo.text)
        self.assertIn(f"Quarterly analytical reports: {self.today.year - 6} (1)", todo.text)
        self.assertIn("the school destroys their paper copies by its own procedure", todo.text)
        periods = reverse("retention:periods", args=[self.school.slug])
        self.assertEqual(todo.url, periods)
        self.assertEqual(self.todos(self.members[3]), [])  # not the responsible person

        self.login(self.members[3])
        papers = reverse("retention:papers", args=[self.school.slug])
        self.assertEqual(self.client.post(papers).status_code, 403)
        self.login(self.responsible)
        self.assertContains(self.client.get(periods), papers)
        self.assertRedirects(self.client.post(papers), periods)
        self.assertEqual(AuditEntry.objects.filter(action=RetentionAction.PAPERS.value).count(), 1)
        self.assertEqual(self.todos(self.responsible), [])
        # A year on, the records whose period has just ended are listed, and only they.
        next_year = self.today.replace(year=self.today.year + 1, day=min(self.today.day, 28))
        self.assertEqual(
            [(r.kind.field, r.years) for r in records_past_period(self.school, next_year)],
            [("reports", ((self.today.year - 5, 1),))],
        )
