"""The dashboard is a to-do list; the menu marks the page shown (issue 11, point 10)."""

import datetime
import re
from unittest import mock

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.commission.models import Commission
from trustbox.core import todo
from trustbox.meetings.models import Protocol
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_confirm_seal
from trustbox.registry.models import Appeal
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.reports.services import report_finalise, report_open
from trustbox.schools.periods import Quarter
from trustbox.test import PASSWORD, BaseTestCase

DAY = datetime.timedelta(days=1)


def items(page: str) -> list[str]:
    """The to-do list's lines, in order, whitespace folded."""
    found = re.findall(r'<li class="todo-item[^"]*">(.*?)</li>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in found]


class DashboardTestCase(RegistryTestCase):
    """The box was opened: two appeals wait for registration."""

    def page(self, user, language="en"):
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
        return client.get(reverse("core:dashboard", args=["alatoo"])).content.decode()

    def test_the_responsible_person_sees_what_to_register_and_by_when_with_a_button(self):
        by = self.anonymous.register_by
        page = self.page(self.responsible)
        [line] = [item for item in items(page) if "to register" in item]
        self.assertIn(f"2 appeals to register by {by.day} {by:%B}.", line)
        self.assertIn("Register", line)
        self.assertIn(f'href="{reverse("registry:list", args=["alatoo"])}?status=taken_out"', page)
        # In Kyrgyz the deadline takes the dative.
        self.assertIn("чейин", " ".join(items(self.page(self.responsible, "ky"))))
        self.assertNotIn("to register", " ".join(items(self.page(self.members[3]))))

    def test_overdue_comes_first_and_is_marked(self):
        late = timezone.localdate() - 2 * DAY
        Appeal.objects.filter(pk=self.signed.pk).update(register_by=late)
        appeal = self.register(self.anonymous)
        Appeal.objects.filter(pk=appeal.pk).update(due_on=timezone.localdate() + DAY)
        lines = items(self.page(self.responsible))
        self.assertTrue(lines[0].startswith("overdue 1 appeal to register by"), lines)
        report = [line for line in lines if "analytical report" in line]
        if Quarter.of(timezone.localdate()).previous().due_on < timezone.localdate():
            # The quarter's report, overdue too, comes after the appeals' own deadlines.
            self.assertEqual(lines[1], report[0])
        self.assertTrue(any(line.startswith("1 appeal to answer by") for line in lines), lines)

    def test_an_urgent_appeal_in_the_box_asks_the_commission_to_open_it(self):
        appeal_submit(
            school=self.school,
            envelope=Envelope(kind="complaint", category="violence", text="help", urgent=True),
        )
        lines = items(self.page(self.members[3]))
        self.assertTrue(lines[0].startswith("urgent An urgent appeal is waiting in the box"), lines)
        self.assertTrue(lines[0].endswith("Start an opening"))
        self.assertEqual(items(self.page(self.teacher)), [])

    def test_answers_past_their_date_are_listed_as_overdue_with_a_button(self):
        appeal = self.register(self.anonymous)
        Appeal.objects.filter(pk=appeal.pk).update(due_on=timezone.localdate() - DAY)
        page = self.page(self.responsible)
        [line] = [item for item in items(page) if "answer date" in item]
        self.assertEqual(line, "overdue 1 appeal is past its answer date. Show")
        self.assertIn(f'href="{reverse("registry:list", args=["alatoo"])}?deadline=overdue"', page)

    def test_a_gathering_asks_the_members_not_yet_present_to_join(self):
        opening, _key = opening_start(school=self.school, by=self.members[0], place="library")
        session = reverse("openings:session", args=["alatoo", opening.pk])
        at = timezone.localtime(opening.started_at).strftime("%H:%M")
        page = self.page(self.members[3])
        [line] = [item for item in items(page) if "started an opening" in item]
        self.assertEqual(
            line,
            f"{self.members[0].full_name} started an opening of the box at {at}: join it on "
            "the shared screen. Where the commission gathers: library. If you did not know "
            "of it, tell the chair and the director at once. Join",
        )
        self.assertIn(f'<li class="todo-item is-urgent">\n<p>{line.split(" Join")[0]}', page)
        self.assertIn(f'href="{session}"', page)
        opening_join(
            opening=opening,
            member=self.members[3],
            password=PASSWORD,
            session_code=opening_code(opening),
        )
        self.assertNotIn("started an opening", " ".join(items(self.page(self.members[3]))))
        self.assertNotIn("started an opening", " ".join(items(self.page(self.teacher))))

    def test_the_members_present_are_asked_to_confirm_the_new_seal_code(self):
        number = self.opening.journal_number
        ask = f"Confirm the new seal code of opening № {number}. Confirm"
        page = self.page(self.members[1])
        self.assertIn(ask, items(page))
        session = reverse("openings:session", args=["alatoo", self.opening.pk])
        self.assertIn(f'href="{session}#step-confirm"', page)
        self.assertNotIn(ask, items(self.page(self.members[3])))  # not present at the opening
        opening_confirm_seal(opening=self.opening, member=self.members[1])
        self.assertNotIn(ask, items(self.page(self.members[1])))

    def test_each_app_adds_its_items_through_a_source(self):
        def meetings(request, school, today):
            yield todo.Todo(
                text="Hold the second meeting of the half-year.", url="/m/", button="Go"
            )

        with mock.patch.object(todo, "TODO_SOURCES", [*todo.TODO_SOURCES, meetings]):
            self.assertIn(
                "Hold the second meeting of the half-year. Go", items(self.page(self.teacher))
            )


class DashboardOfANewSchoolTestCase(BaseTestCase):
    def test_without_a_commission_the_director_is_asked_for_the_order(self):
        self.school.commissions.all().delete()
        client = self.login(self.director)
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        page = client.get(reverse("core:dashboard", args=["alatoo"])).content.decode()
        self.assertIn("No commission is appointed yet (cl. 4.1). Enter the order", items(page)[0])
        client = self.login(self.teacher, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        page = client.get(reverse("core:dashboard", args=["alatoo"])).content.decode()
        self.assertEqual(items(page), [])
        self.assertIn("Nothing is due now.", page)

    def test_members_are_asked_to_set_their_key_and_to_elect_the_chair(self):
        client = self.login(self.members[1])
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        page = client.get(reverse("core:dashboard", args=["alatoo"])).content.decode()
        text = " ".join(items(page))
        self.assertIn("Set your personal key", text)
        self.assertIn("The chair and the secretary are not elected yet", text)


class MenuTestCase(RegistryTestCase):
    def test_the_menu_marks_the_page_shown(self):
        client = self.login(self.responsible)
        for name, link in (
            ("core:dashboard", "core:dashboard"),
            ("registry:list", "registry:list"),
            ("openings:journal", "openings:journal"),
            ("commission:overview", "commission:overview"),
        ):
            with self.subTest(name):
                page = client.get(reverse(name, args=["alatoo"])).content.decode()
                current = re.findall(r'<a[^>]*href="([^"]+)"[^>]*aria-current="page"', page)
                self.assertEqual(current, [reverse(link, args=["alatoo"])])
        # Inside a section, its link says so too.
        page = client.get(
            reverse("openings:session", args=["alatoo", self.opening.pk])
        ).content.decode()
        self.assertRegex(
            page, rf'href="{reverse("openings:journal", args=["alatoo"])}" aria-current="true"'
        )


class DashboardOfMeetingsAndReportsTestCase(MeetingSteps, BaseTestCase):
    """The protocols to sign (cl. 4.3) and the quarter's report (cl. 4.6) are on the list."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.elect()

    def page(self, user):
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        return client.get(reverse("core:dashboard", args=[self.school.slug])).content.decode()

    def test_a_member_is_asked_to_sign_each_protocol_still_missing_their_signature(self):
        protocol = Protocol.objects.get(school=self.school, number=1)
        url = reverse("meetings:protocol", args=[self.school.slug, protocol.pk])
        line = f"Sign protocol № 1 of {protocol.year}. Sign"
        page = self.page(self.members[3])
        self.assertIn(line, items(page))
        self.assertIn(f'href="{url}"', page)
        protocol_sign(protocol=protocol, member=self.members[3], password=PASSWORD)
        self.assertNotIn(line, items(self.page(self.members[3])))
        self.assertIn(line, items(self.page(self.members[4])))
        self.assertNotIn(line, items(self.page(self.teacher)))

    def test_the_responsible_person_is_asked_for_the_last_quarters_report_until_it_is_signed(self):
        quarter = Quarter.of(timezone.localdate()).previous()
        lines = [line for line in items(self.page(self.responsible)) if "analytical report" in line]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(f"for quarter {quarter.number} of {quarter.year}", lines[0])
        self.assertEqual(lines[0].startswith("overdue"), quarter.due_on < timezone.localdate())
        self.assertFalse(
            [line for line in items(self.page(self.members[3])) if "analytical report" in line]
        )
        report = report_open(
            school=self.school, start=quarter.start, end=quarter.end, by=self.responsible
        )
        report_finalise(report=report, by=self.responsible, password=PASSWORD)
        self.assertFalse(
            [line for line in items(self.page(self.responsible)) if "analytical report" in line]
        )

    def test_no_report_is_asked_for_a_quarter_before_the_commission_was_appointed(self):
        due = Quarter.of(timezone.localdate()).previous().due_on
        Commission.objects.filter(pk=self.commission.pk).update(order_date=due + DAY)
        lines = items(self.page(self.responsible))
        self.assertFalse([line for line in lines if "analytical report" in line], lines)
