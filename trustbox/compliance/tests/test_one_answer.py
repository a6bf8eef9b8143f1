"""The to-do list, the compliance page, the chair's warnings and the reminders read one set of
facts per obligation, so they cannot disagree about what is owed and by when."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from trustbox.accounts.access import Role
from trustbox.compliance.lines import Level, school_lines
from trustbox.compliance.models import ComplianceWarning
from trustbox.compliance.notify import compliance_warnings_send
from trustbox.core import todo
from trustbox.registry.models import Appeal
from trustbox.registry.notify import deadline_reminders_send
from trustbox.registry.obligations import answers_owed, registration_owed
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.schools.periods import HalfYear

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
