"""Retention periods: the install's default, the school's own with its clause, shown and why."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from trustbox.retention.models import RetentionRule
from trustbox.retention.periods import periods_in_force
from trustbox.retention.services import retention_periods_set
from trustbox.test import BaseTestCase

NONE = dict.fromkeys(("appeals", "appeals_long", "removal_acts", "journal", "protocols", "reports"))


class RetentionPeriodsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    @override_settings(RETENTION_YEARS=4, RETENTION_YEARS_LONG=12)
    def test_without_its_own_periods_a_school_keeps_the_installs_defaults(self):
        periods = periods_in_force(self.school)
        self.assertEqual(periods.years("appeals"), 4)
        self.assertEqual(periods.years("appeals_long"), 12)
        self.assertEqual(periods.years("journal"), 12)
        self.assertEqual(periods.years("reports"), 4)
        self.assertFalse(any(period.by_school for period in periods.periods))

    def test_the_schools_own_period_overrides_the_default_and_names_its_clause(self):
        retention_periods_set(
            school=self.school,
            by=self.director,
            values={**NONE, "appeals": 3, "protocols": 25},
            clause="item 01-15",
        )
        periods = periods_in_force(self.school)
        self.assertEqual(periods.years("appeals"), 3)
        self.assertEqual(periods.years("protocols"), 25)
        self.assertEqual(periods.years("appeals_long"), settings.RETENTION_YEARS_LONG)
        by_school = {p.kind.field for p in periods.periods if p.by_school}
        self.assertEqual(by_school, {"appeals", "protocols"})
        self.assertEqual(periods.clause, "item 01-15")
        # The other school keeps the defaults.
        self.assertEqual(periods_in_force(self.other_school).years("appeals"), 5)

    def test_own_periods_without_the_clause_are_refused_with_its_reason(self):
        with self.assertRaises(ValidationError) as caught:
            retention_periods_set(
                school=self.school, by=self.director, values={**NONE, "appeals": 3}, clause=" "
            )
        self.assertIn("Name the clause", caught.exception.message_dict["clause"][0])
        self.assertFalse(RetentionRule.objects.exists())

    def test_urgent_cases_are_never_kept_shorter_than_the_others(self):
        with self.assertRaises(ValidationError) as caught:
            retention_periods_set(
                school=self.school,
                by=self.director,
                values={**NONE, "appeals": 6, "appeals_long": 4},
                clause="item 01-15",
            )
        self.assertIn("at least as long", caught.exception.message_dict["appeals_long"][0])

    def test_the_director_edits_the_periods_and_the_pages_say_which_are_in_force_and_why(self):
        self.login(self.director)
        url = reverse("retention:periods", args=[self.school.slug])
        response = self.client.post(url, {"appeals": "7", "clause": "item 01-15"})
        self.assertRedirects(response, url)
        self.assertEqual(periods_in_force(self.school).years("appeals"), 7)
        for page in (url, reverse("core:dashboard", args=[self.school.slug])):
            with self.subTest(page=page):
                text = self.client.get(page).content.decode()
                self.assertIn("7 years", text)
                self.assertIn("the school's nomenclature of cases: item 01-15", text)
                self.assertIn("the install's default", text)

    def test_a_period_out_of_range_comes_back_with_a_clear_message(self):
        self.login(self.director)
        url = reverse("retention:periods", args=[self.school.slug])
        response = self.client.post(url, {"appeals": "0", "clause": "item 01-15"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "A retention period is at least one year.", status_code=400)
        response = self.client.post(url, {"appeals": "5", "appeals_long": "2", "clause": "x"})
        self.assertContains(response, "at least as long as the other appeals", status_code=400)

    def test_a_member_sees_the_periods_but_cannot_change_them(self):
        self.login(self.responsible)
        url = reverse("retention:periods", args=[self.school.slug])
        response = self.client.get(url)
        self.assertContains(response, "the install's default")
        self.assertNotContains(response, 'name="clause"')
        self.assertEqual(self.client.post(url, {"appeals": "2", "clause": "x"}).status_code, 404)
        self.assertFalse(RetentionRule.objects.exists())
