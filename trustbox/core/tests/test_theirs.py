"""Everyone sees what is theirs, and finished tasks leave the list (issue 21, points 3 and 5).

The to-do list of anyone who can be assigned an appeal (a class teacher or the psychologist
outside the commission) shows their appeals, a writer's new message and the deadlines; the
responsible person learns who has no email and has not signed in since; a staff login lands
on the to-do list of their school, the district officer on the district's page.
"""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trustbox.accounts.access import Role, roles_in
from trustbox.box.envelope import Envelope
from trustbox.box.services import Found, appeal_find_by_receipt, appeal_submit
from trustbox.core import todo
from trustbox.core.tests.test_dashboard import items
from trustbox.registry.consideration import appeal_reply
from trustbox.registry.models import Appeal, Status
from trustbox.registry.services import appeal_assign
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.writer import writer_message_add
from trustbox.schools.models import Membership
from trustbox.seal.services import member_key_set
from trustbox.test import PASSWORD, BaseTestCase, make_person

DAY = datetime.timedelta(days=1)


class TheirAppealsTestCase(RegistryTestCase):
    """The anonymous appeal is registered and assigned to the class teacher, who is not on the
    commission and has no email."""

    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()
        member_key_set(user=self.teacher, password=PASSWORD, school=self.school)
        self.appeal = self.assign(self.register(self.anonymous), self.teacher)

    def assign(self, appeal, to):
        appeal_assign(
            appeal=appeal, to=to, by=self.responsible, case_private=self.case_private(appeal)
        )
        appeal.refresh_from_db()
        return appeal

    def page(self, user):
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        return client.get(reverse("core:dashboard", args=["alatoo"])).content.decode()

    def lines_of(self, user, day=None):
        """The to-do list's texts for a person on a day (roles as at the school)."""
        request = SimpleNamespace(user=user, roles=roles_in(user, self.school))
        return [item.text for item in todo.todo_list(request, self.school, day or self.today)]

    def test_an_assigned_class_teacher_sees_her_appeal_with_its_deadline_and_a_button(self):
        self.assertEqual(self.teacher.email, "")
        due = self.appeal.due_on
        page = self.page(self.teacher)
        self.assertIn(
            f"Appeal {self.appeal.number} is assigned to you: answer it by {due.day} {due:%B}. "
            "Open",
            items(page),
        )
        self.assertIn(f'href="{reverse("registry:detail", args=["alatoo", self.appeal.pk])}"', page)
        self.assertNotIn("Nothing is due now.", page)

    def test_her_appeal_past_its_answer_day_comes_first_marked_overdue(self):
        Appeal.objects.filter(pk=self.appeal.pk).update(due_on=self.today - DAY)
        lines = items(self.page(self.teacher))
        self.assertTrue(
            lines[0].startswith(f"overdue Appeal {self.appeal.number} assigned to you was to be"),
            lines,
        )

    def test_the_psychologist_outside_the_commission_sees_the_writers_new_message(self):
        psychologist = make_person(self.school, "psychologist", position="psychologist")
        member_key_set(user=psychologist, password=PASSWORD, school=self.school)
        appeal = self.assign(self.appeal, psychologist)
        appeal_reply(appeal=appeal, by=psychologist, text="We hear you.", channel="receipt")
        self.assertNotIn(
            f"The writer of appeal {appeal.number} wrote back. Read",
            items(self.page(psychologist)),
        )
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        assert isinstance(found, Found)
        writer_message_add(found=found, text="It got better.")
        lines = items(self.page(psychologist))
        self.assertIn(f"The writer of appeal {appeal.number} wrote back. Read", lines)
        # Answered, it waits for the responsible person's decision (issue 21, point 2).
        self.assertIn(
            f"A writer wrote back on appeal {appeal.number}: decide. Decide",
            items(self.page(self.responsible)),
        )
        # The class teacher it was taken from no longer sees it.
        self.assertFalse([line for line in items(self.page(self.teacher)) if appeal.number in line])

    def test_an_answered_appeal_leaves_the_officials_list(self):
        number = self.appeal.number
        self.assertTrue([line for line in self.lines_of(self.teacher) if number in line])
        Appeal.objects.filter(pk=self.appeal.pk).update(
            status=Status.ANSWERED, answered_on=self.today
        )
        self.assertFalse([line for line in self.lines_of(self.teacher) if number in line])

    def test_the_responsible_person_is_told_who_has_no_email_until_she_signs_in(self):
        told = (
            f"{self.teacher.full_name} has no email and has not signed in since appeal "
            f"{self.appeal.number} came to them: tell them in person."
        )
        self.assertIn(told, self.lines_of(self.responsible))
        self.assertNotIn(told, self.lines_of(self.members[3]))  # not a lead
        self.assertNotIn(told, self.lines_of(self.teacher))
        # With an email, the mail tells her.
        self.teacher.email = "teacher@school.invalid"
        self.teacher.save(update_fields=["email"])
        self.assertNotIn(told, self.lines_of(self.responsible))
        # Without one, her signing in after the assignment ends the task.
        self.teacher.email = ""
        self.teacher.last_login = timezone.now() + datetime.timedelta(seconds=1)
        self.teacher.save(update_fields=["email", "last_login"])
        self.assertNotIn(told, self.lines_of(self.responsible))

    def test_a_writers_message_after_her_last_sign_in_is_told_until_she_signs_in_again(self):
        def told():
            return any("has no email" in line for line in self.lines_of(self.responsible))

        self.teacher.last_login = timezone.now() + datetime.timedelta(seconds=1)
        self.teacher.save(update_fields=["last_login"])
        appeal_reply(appeal=self.appeal, by=self.teacher, text="We hear you.", channel="receipt")
        Appeal.objects.filter(pk=self.appeal.pk).update(status=Status.ANSWERED)
        self.assertFalse(told())
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        assert isinstance(found, Found)
        writer_message_add(found=found, text="It got better.")
        self.assertTrue(told())  # only the message's day is kept: that day counts as new
        self.teacher.last_login = timezone.now() + DAY
        self.teacher.save(update_fields=["last_login"])
        self.assertFalse(told())

    def test_a_deadline_coming_near_after_her_last_sign_in_is_told_again(self):
        self.teacher.last_login = timezone.now() + datetime.timedelta(seconds=1)
        self.teacher.save(update_fields=["last_login"])
        due = self.today + 20 * DAY
        Appeal.objects.filter(pk=self.appeal.pk).update(due_on=due)
        window = settings.REMIND_DAYS_BEFORE

        def told(day):
            return any("has no email" in line for line in self.lines_of(self.responsible, day))

        self.assertFalse(told(due - (window + 1) * DAY))  # not near yet
        self.assertTrue(told(due - window * DAY))  # near: the mail would have reminded her
        self.assertTrue(told(due + DAY))  # overdue, and she has not been back
        self.teacher.last_login = timezone.now() + 30 * DAY
        self.teacher.save(update_fields=["last_login"])
        self.assertFalse(told(due + DAY))


class FinishedTasksLeaveTheListTestCase(RegistryTestCase):
    def test_the_seal_code_of_an_opening_followed_by_another_is_no_longer_asked(self):
        first = self.opening.journal_number
        ask = f"Confirm the new seal code of opening № {first}."
        request = SimpleNamespace(user=self.members[1], roles={Role.MEMBER})
        texts = [
            item.text for item in todo.opening_todos(request, self.school, timezone.localdate())
        ]
        self.assertIn(ask, texts)
        appeal_submit(
            school=self.school,
            envelope=Envelope(kind="message", category="other", text="SECRET-next"),
        )
        second = self.box_open()
        texts = [
            item.text for item in todo.opening_todos(request, self.school, timezone.localdate())
        ]
        self.assertEqual(
            texts, [f"Confirm the new seal code of opening № {second.journal_number}."]
        )


class StaffLandOnTheirPlaceTestCase(BaseTestCase):
    def test_a_login_goes_to_the_home_that_sends_each_person_to_their_place(self):
        self.assertEqual(resolve_url(settings.LOGIN_REDIRECT_URL), reverse("core:home"))
        for person in (self.director, self.teacher, self.responsible):
            with self.subTest(person.username):
                response = self.login(person, Client()).get(reverse("core:home"))
                self.assertRedirects(response, reverse("core:dashboard", args=["alatoo"]))

    def test_the_district_officer_lands_on_the_districts_page(self):
        response = self.login(self.viewer, Client()).get(reverse("core:home"), follow=True)
        self.assertRedirects(response, reverse("core:district", args=["ala-too"]))
        self.assertNotContains(response, "You do not belong to any school yet.")

    def test_a_person_of_two_schools_chooses_one(self):
        Membership.objects.create(
            user=self.teacher, school=self.other_school, kind=Membership.Kind.EMPLOYEE
        )
        response = self.login(self.teacher, Client()).get(reverse("core:home"))
        self.assertTemplateUsed(response, "core/home.html")
        for slug in ("alatoo", "other"):
            self.assertContains(response, reverse("core:dashboard", args=[slug]))

    def test_an_operator_of_no_school_is_shown_the_command_line(self):
        response = self.login(self.operator, Client()).get(reverse("core:home"))
        self.assertTemplateUsed(response, "core/home.html")
        self.assertContains(response, "python -m trustbox help")
