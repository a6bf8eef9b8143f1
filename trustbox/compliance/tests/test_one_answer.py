"""The to-do list, the compliance page, the chair's warnings and the reminders read one set of
facts per obligation, so they cannot disagree about what is owed and by when."""

import datetime
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from trustbox.accounts.access import Role
from trustbox.accounts.models import User
from trustbox.commission.selectors import current_commission, order_owed
from trustbox.compliance.lines import Level, school_lines
from trustbox.compliance.models import ComplianceWarning
from trustbox.compliance.notify import compliance_warnings_send
from trustbox.core import todo
from trustbox.demo.builders import demo_create
from trustbox.meetings.obligations import election_owed, meetings_owed
from trustbox.openings.selectors import openings_owed
from trustbox.registry.models import Appeal
from trustbox.registry.notify import deadline_reminders_send
from trustbox.registry.obligations import answers_owed, registration_owed
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.reports.selectors import report_owed, report_status
from trustbox.schools.models import School
from trustbox.schools.periods import HalfYear, Quarter
from trustbox.test import make_person

DAY = datetime.timedelta(days=1)


class RegistryObligationsReadTheSameEverywhereTestCase(RegistryTestCase):
    """Registration (cl. 3.2) and answers (Law No. 67) in the states done, owed and missed."""

    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()
        self.half = HalfYear.of(self.today)

    def read(self, key):
        """What the page, the to-do list, the warnings and the reminders say of one line."""
        line = next(item for item in school_lines(self.school, today=self.today) if item.key == key)
        request = SimpleNamespace(user=self.responsible, roles=set(Role))
        items = list(todo.registry_todos(request, self.school, self.today))
        compliance_warnings_send(today=self.today)
        warned = set(
            ComplianceWarning.objects.filter(school=self.school, line=key).values_list(
                "deadline", flat=True
            )
        )
        deadline_reminders_send(today=self.today)
        reminded = set(
            Appeal.objects.filter(school=self.school, reminded_on=self.today).values_list(
                "pk", flat=True
            )
        )
        return line, items, warned, reminded

    def test_registration_owed_has_one_deadline_on_the_page_in_the_list_and_in_the_warning(self):
        Appeal.objects.update(register_by=self.today + DAY)
        facts = registration_owed(self.school, self.half, self.today)
        line, items, warned, reminded = self.read("3.2")
        self.assertEqual((facts.due, facts.done, facts.missed), (self.today + DAY, False, False))
        self.assertEqual((line.level, line.deadline), (Level.AMBER, facts.due))
        self.assertEqual([(item.due, item.overdue) for item in items], [(facts.due, False)])
        self.assertEqual(warned, {facts.due})
        self.assertEqual(reminded, set())  # the reminders are of answers and overdue appeals

    def test_registration_missed_is_red_on_the_page_overdue_in_the_list_and_reminded(self):
        Appeal.objects.update(register_by=self.today - DAY)
        facts = registration_owed(self.school, self.half, self.today)
        line, items, warned, reminded = self.read("3.2")
        self.assertTrue(facts.missed)
        self.assertEqual(line.level, Level.RED)
        self.assertEqual([(item.due, item.overdue) for item in items], [(facts.due, True)])
        self.assertEqual(warned, set())
        self.assertEqual(reminded, {appeal.pk for appeal in facts.overdue})

    def test_answers_due_soon_have_one_deadline_in_all_four(self):
        for appeal in (self.anonymous, self.signed):
            self.register(appeal)
        Appeal.objects.filter(pk=self.signed.pk).update(due_on=self.today + DAY)
        facts = answers_owed(self.school, self.half, self.today)
        line, items, warned, reminded = self.read("law67")
        self.assertEqual(facts.due, self.today + DAY)
        self.assertEqual((line.level, line.deadline), (Level.AMBER, facts.due))
        self.assertEqual([item.due for item in items], [facts.due])
        self.assertEqual(warned, {facts.due})
        self.assertEqual(reminded, {appeal.pk for appeal in facts.soon})

    def test_an_answer_missed_is_red_on_the_page_overdue_in_the_list_and_reminded(self):
        for appeal in (self.anonymous, self.signed):
            self.register(appeal)
        Appeal.objects.filter(pk=self.signed.pk).update(due_on=self.today - DAY)
        facts = answers_owed(self.school, self.half, self.today)
        line, items, warned, reminded = self.read("law67")
        self.assertEqual([appeal.pk for appeal in facts.overdue], [self.signed.pk])
        self.assertEqual(line.level, Level.RED)
        self.assertEqual([item.overdue for item in items], [True])
        self.assertEqual(warned, set())
        self.assertEqual(reminded, {self.signed.pk})

    def test_everything_done_is_green_with_nothing_listed_warned_or_reminded(self):
        for appeal in (self.anonymous, self.signed):
            self.register(appeal)
        Appeal.objects.update(due_on=self.today + 30 * DAY)
        registration = registration_owed(self.school, self.half, self.today)
        answers = answers_owed(self.school, self.half, self.today)
        self.assertTrue(registration.done and answers.done)
        for key in ("3.2", "law67"):
            line, items, warned, reminded = self.read(key)
            self.assertEqual((line.level, line.deadline), (Level.GREEN, None))
            self.assertEqual((items, warned, reminded), ([], set(), set()))


class EveryObligationReadsTheSameAtTheDemoSchoolTestCase(TestCase):
    """The demo school and a school without a commission, through every clause of the page."""

    def agree(self, school, today, user):
        """Each line's level and deadline follow its facts; the to-do list and warnings too."""
        lines = {line.key: line for line in school_lines(school, today=today)}
        request = SimpleNamespace(user=user, roles=set(Role))
        commission = current_commission(school)
        order, election = order_owed(commission), election_owed(commission)
        self.assertEqual(lines["4.1"].level == Level.GREEN, order.done)
        self.assertEqual(lines["4.5"].level == Level.GREEN, election.done)
        urls = [item.url for item in todo.commission_todos(request, school, today)]
        appoint = reverse("commission:appoint", args=[school.slug])
        self.assertEqual(appoint in urls, commission is None)
        self.assertEqual(
            any("/elect" in url for url in urls), commission is not None and not election.done
        )
        half = HalfYear.of(today)
        meetings = meetings_owed(school, half)
        self.assertEqual(lines["4.3"].level == Level.GREEN, meetings.appointed and meetings.done)
        if lines["4.3"].level == Level.AMBER:
            self.assertEqual(lines["4.3"].deadline, meetings.due)
        box = openings_owed(school)
        self.assertEqual(lines["3.1"].level == Level.GREEN, box.done)
        self.assertEqual(bool(list(todo.box_todos(request, school, today))), box.waiting > 0)
        status = report_status(school, Quarter.of(today).previous())
        owed = not status.prepared and report_owed(school, status)
        self.assertEqual(bool(list(todo.report_todos(request, school, today))), owed)
        if owed:
            self.assertIn(lines["4.6"].deadline, (status.due_on, None))
        compliance_warnings_send(today=today)
        for warning in ComplianceWarning.objects.filter(school=school, sent_on=today):
            facts_due = {"4.3": meetings.due, "4.6": status.due_on}.get(warning.line)
            self.assertEqual(warning.deadline, lines[warning.line].deadline)
            if facts_due is not None:
                self.assertEqual(warning.deadline, facts_due)
        return lines

    def test_the_demo_school_reads_the_same_on_every_clause(self):
        data_dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, data_dir)
        with self.settings(DATA_DIR=data_dir):
            school = demo_create()
        responsible = User.objects.get(username="responsible")
        today = timezone.localdate()
        lines = self.agree(school, today, responsible)
        self.assertEqual(lines["4.1"].level, Level.GREEN)
        # The last day of the half-year: the meetings and the answers come close.
        self.agree(school, HalfYear.of(today).end, responsible)

    def test_a_school_without_a_commission_reads_the_same_on_every_clause(self):
        school = School.objects.create(name="School new", slug="new")
        person = make_person(school, "alone")
        lines = self.agree(school, timezone.localdate(), person)
        self.assertEqual((lines["4.1"].level, lines["4.5"].level), (Level.RED, Level.RED))
