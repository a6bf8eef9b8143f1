"""The to-do list, the compliance page, the chair's warnings and the reminders read one set of
facts per obligation, so they cannot disagree about what is owed and by when."""

import datetime
import re
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from trustbox.accounts.access import Role
from trustbox.accounts.models import User
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.commission.selectors import current_commission, order_owed
from trustbox.compliance.lines import Level, school_lines
from trustbox.compliance.models import ComplianceWarning
from trustbox.compliance.notify import compliance_warnings_send
from trustbox.core import todo
from trustbox.demo.builders import demo_create
from trustbox.meetings.obligations import election_owed, meetings_owed
from trustbox.openings.selectors import openings_owed
from trustbox.registry.models import Appeal, Status
from trustbox.registry.notify import deadline_reminders_send
from trustbox.registry.obligations import answers_owed, registration_owed
from trustbox.registry.selectors import registry_page
from trustbox.registry.services import appeal_assign
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.reports.figures import cube, summary
from trustbox.reports.selectors import report_owed, report_status
from trustbox.schools.models import School
from trustbox.schools.periods import HalfYear, Quarter
from trustbox.seal.services import member_key_set
from trustbox.test import PASSWORD, make_person

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


class DeadlinesAreDrawnOnTheSameDayEverywhereTestCase(RegistryTestCase):
    """Appeals on each side of every line "overdue" and "soon" draw, with windows of days other
    than the default: the page, the to-do lists (a lead's and an official's), the reminders,
    the registry's filters and the report's count name the same appeals, so a place with a
    rule of its own (a window of its own, "overdue" on the day itself) fails here."""

    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()
        member_key_set(user=self.teacher, password=PASSWORD, school=self.school)
        self.teacher.email = "teacher@school.invalid"
        self.teacher.save(update_fields=["email"])
        for number in range(4):
            appeal_submit(
                school=self.school,
                envelope=Envelope(kind="message", category="other", text=f"SECRET-{number}"),
            )
        self.box_open()
        waiting = list(Appeal.objects.filter(status=Status.TAKEN_OUT).order_by("pk"))
        self.answer_pks = []
        for appeal in waiting[:4]:
            appeal = self.register(appeal)
            appeal_assign(
                appeal=appeal,
                to=self.teacher,
                by=self.responsible,
                case_private=self.case_private(appeal),
            )
            self.answer_pks.append(appeal.pk)
        # Two wait for registration: one past its day, one due today (still in time).
        self.register_pks = [appeal.pk for appeal in waiting[4:]]
        for days, pk in zip((-1, 0), self.register_pks, strict=True):
            Appeal.objects.filter(pk=pk).update(register_by=self.today + days * DAY)
        mail.outbox.clear()

    def place(self, window):
        """Answer days: yesterday, today, the window's last day and the day after it."""
        self.answer_days = (-1, 0, window, window + 1)
        for days, pk in zip(self.answer_days, self.answer_pks, strict=True):
            Appeal.objects.filter(pk=pk).update(due_on=self.today + days * DAY)

    def assert_one_answer(self):
        half = HalfYear.of(self.today)
        registration = registration_owed(self.school, half, self.today)
        answers = answers_owed(self.school, half, self.today)
        overdue = {a.pk for a in answers.overdue}
        soon = {a.pk for a in answers.soon}
        late_registration = {a.pk for a in registration.overdue}
        # The facts themselves: the day itself is in time, the window's last day is soon.
        yesterday, today, last, _after = self.answer_pks
        self.assertEqual((overdue, soon), ({yesterday}, {today, last}))
        self.assertEqual(late_registration, {self.register_pks[0]})
        # The compliance page.
        line = next(
            line for line in school_lines(self.school, today=self.today) if line.key == "law67"
        )
        self.assertEqual(line.level, Level.RED)
        self.assertIn(Appeal.objects.get(pk=yesterday).number, line.reason)
        # The lead's to-do list counts them; the official's lists each of hers, flagged alike.
        lead = SimpleNamespace(user=self.responsible, roles=set(Role))
        texts = " ".join(item.text for item in todo.registry_todos(lead, self.school, self.today))
        self.assertIn(f"{len(overdue)} appeal is past its answer date.", texts)
        self.assertIn(f"{len(soon)} appeals to answer by", texts)
        official = SimpleNamespace(user=self.teacher, roles=set())
        items = list(todo.assigned_todos(official, self.school, self.today))
        self.assertEqual(
            [(item.overdue, item.due) for item in items],
            [(days < 0, self.today + days * DAY) for days in self.answer_days],
        )
        # The registry's filters.
        for deadline, expected in (("overdue", overdue | late_registration), ("soon", soon)):
            page = registry_page(
                school=self.school,
                user=self.responsible,
                filters={"deadline": deadline},
                page=1,
                per_page=50,
            )
            self.assertEqual({appeal.pk for appeal in page}, expected, deadline)
        # The report's count of appeals waiting past their deadline.
        figures = summary(cube(Appeal.objects.for_school(self.school), as_of=self.today))
        self.assertEqual(figures["answers"]["overdue"], len(overdue))
        self.assertEqual(figures["registration"]["overdue"], len(late_registration))
        # The reminders: exactly those, and the official's digest names exactly hers.
        deadline_reminders_send(today=self.today)
        reminded = set(
            Appeal.objects.filter(school=self.school, reminded_on=self.today).values_list(
                "pk", flat=True
            )
        )
        self.assertEqual(reminded, overdue | soon | late_registration)
        [digest] = [message for message in mail.outbox if "teacher@school.invalid" in message.to]
        named = set(map(int, re.findall(r"/registry/(\d+)/", digest.body)))
        self.assertEqual(named, overdue | soon)

    def test_a_window_of_five_days_is_drawn_alike_in_every_place(self):
        with self.settings(REMIND_DAYS_BEFORE=5):
            self.place(5)
            self.assert_one_answer()

    def test_a_window_of_one_day_is_drawn_alike_in_every_place(self):
        with self.settings(REMIND_DAYS_BEFORE=1):
            self.place(1)
            self.assert_one_answer()


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
