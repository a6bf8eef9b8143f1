"""Cases past their period, the to-do line, the agenda item, the act signed, then destruction."""

from unittest import mock

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trustbox.core.todo import retention_todos
from trustbox.meetings.agenda import agenda_item_text, agenda_kind
from trustbox.meetings.models import AgendaItem
from trustbox.meetings.services import (
    meeting_attendance_record,
    meeting_decision_record,
    meeting_schedule,
)
from trustbox.registry import destruction
from trustbox.registry.models import Appeal, Status
from trustbox.retention import services
from trustbox.retention.content import act_message
from trustbox.retention.models import ActLine, ActSignature, DestructionAct
from trustbox.retention.selectors import AGENDA_KIND, cases_past_period
from trustbox.retention.services import (
    act_destroy,
    act_draw_up,
    act_sign,
    retention_periods_set,
)
from trustbox.retention.tests.helpers import RetentionSteps
from trustbox.seal import crypto
from trustbox.test import PASSWORD, BaseTestCase

LINE_FIELDS = {
    "number",
    "received_on",
    "registered_on",
    "closed_on",
    "kind",
    "category",
    "outcome",
    "urgent",
}


def todo_texts(test, user):
    test.login(user)
    request = test.client.get(reverse("core:dashboard", args=[test.school.slug])).wsgi_request
    return [item.text for item in retention_todos(request, test.school, test.today)]


class CasesPastTheirPeriodTestCase(RetentionSteps, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()

    def test_only_closed_cases_past_their_period_are_listed_the_long_one_for_urgent_and_referred(
        self,
    ):
        past = set(cases_past_period(self.school, self.today))
        self.assertEqual(past, {self.cases["old"], self.cases["old_referred"]})
        self.assertEqual(list(cases_past_period(self.other_school, self.today)), [])

    def test_a_longer_period_of_the_schools_nomenclature_keeps_the_cases(self):
        retention_periods_set(
            school=self.school,
            by=self.director,
            values={"appeals": 7, "appeals_long": 12},
            clause="item 01-15",
        )
        self.assertEqual(list(cases_past_period(self.school, self.today)), [])

    def test_the_responsible_person_has_a_todo_line_only_while_cases_are_past_their_period(self):
        texts = todo_texts(self, self.responsible)
        self.assertEqual(len(texts), 1)
        self.assertIn("2 closed cases are past their retention period", texts[0])
        self.assertEqual(todo_texts(self, self.members[3]), [])  # not the responsible person
        retention_periods_set(
            school=self.school,
            by=self.director,
            values={"appeals": 7, "appeals_long": 12},
            clause="item 01-15",
        )
        self.assertEqual(todo_texts(self, self.responsible), [])

    def test_the_compliance_page_says_cases_wait_past_their_period_without_naming_them(self):
        self.login(self.director)
        url = reverse("compliance:school", args=[self.school.slug])
        self.assertContains(
            self.client.get(url),
            "2 closed cases are past their retention period and wait for the commission",
        )
        self.login(self.other_director)
        other = reverse("compliance:school", args=[self.other_school.slug])
        self.assertContains(
            self.client.get(other), "No closed case is kept past its retention period."
        )

    def test_the_agenda_offers_the_destruction_and_names_it_by_count_and_day(self):
        kind = agenda_kind(AGENDA_KIND)
        self.assertEqual(
            kind.choices(self.school), [(self.school.pk, "2 cases past their retention period")]
        )
        self.assertEqual(kind.choices(self.other_school), [])
        reference = kind.reference(self.school, self.school.pk)
        self.assertEqual(reference, f"{self.today.isoformat()}/2")
        text = agenda_item_text(kind=AGENDA_KIND, reference=reference, title="")
        self.assertTrue(text.startswith("the destruction of 2 cases past their retention period"))


class ActOfDestructionTestCase(RetentionSteps, BaseTestCase):
    def test_the_secretary_puts_the_destruction_on_an_agenda_and_draws_up_the_act_after_it(self):
        self.elect()
        meeting = meeting_schedule(
            school=self.school,
            by=self.members[2],
            held_on=timezone.localdate(),
            starts_at=None,
            place="room 12",
        )
        secretary = self.login(self.members[2])
        detail = reverse("meetings:detail", args=[self.school.slug, meeting.pk])
        self.assertContains(secretary.get(detail), "2 cases past their retention period")
        add = reverse("meetings:agenda_add", args=[self.school.slug, meeting.pk, AGENDA_KIND])
        self.assertRedirects(
            secretary.post(
                add,
                {
                    f"add_{AGENDA_KIND}-kind": AGENDA_KIND,
                    f"add_{AGENDA_KIND}-ref_id": self.school.pk,
                },
            ),
            detail,
        )
        item = meeting.agenda.get(kind=AGENDA_KIND)
        self.assertContains(
            secretary.get(detail), "the destruction of 2 cases past their retention period"
        )
        overview = reverse("retention:overview", args=[self.school.slug])
        draw_up = reverse("retention:draw_up", args=[self.school.slug, meeting.pk])
        secretary.post(draw_up)
        self.assertFalse(DestructionAct.objects.exists())  # no decision yet
        meeting_attendance_record(meeting=meeting, by=self.members[2], present=self.members[:4])
        meeting_decision_record(
            meeting=meeting,
            by=self.members[2],
            text="Destroy them.",
            votes_for=4,
            votes_against=0,
            votes_abstained=0,
            item=item,
        )
        self.assertContains(secretary.get(overview), "Draw up the act of destruction")
        response = secretary.post(draw_up)
        act = DestructionAct.objects.get()
        self.assertRedirects(response, reverse("retention:act", args=[self.school.slug, act.pk]))
        self.assertEqual(len(act.content["lines"]), 2)

    def test_no_act_without_the_commissions_decision(self):
        meeting = self.decide(adopted=False)
        with self.assertRaisesMessage(ValidationError, "has not adopted a decision"):
            act_draw_up(meeting=meeting, by=self.responsible)
        self.assertFalse(DestructionAct.objects.exists())

    def test_the_act_lists_the_cases_past_their_period_by_number_and_dates_never_text(self):
        meeting = self.decide()
        item = AgendaItem.objects.get(meeting=meeting, kind=AGENDA_KIND)
        self.assertTrue(item.reference.endswith("/2"))
        act = act_draw_up(meeting=meeting, by=self.responsible)
        old, referred = self.cases["old"], self.cases["old_referred"]
        self.assertEqual(
            [line["number"] for line in act.content["lines"]], [referred.number, old.number]
        )
        for line in act.content["lines"]:
            self.assertEqual(set(line), LINE_FIELDS)
        self.assertEqual(act.content["lines"][0]["outcome"], "psychologist")
        self.assertEqual(act.content["lines"][1]["closed_on"], old.closed_on.isoformat())
        self.assertNotIn("sealed", str(act.content))
        # Listed once: the cases are no more past their period for another act.
        self.assertEqual(list(cases_past_period(self.school, meeting.held_on)), [])
        with self.assertRaisesMessage(ValidationError, "drawn up already"):
            act_draw_up(meeting=meeting, by=self.responsible)

    def test_every_member_signs_with_her_key_and_only_then_the_cases_are_destroyed(self):
        act = act_draw_up(meeting=self.decide(), by=self.responsible)
        with mock.patch.object(
            services, "appeal_destroy", wraps=destruction.appeal_destroy
        ) as destroy:
            for member in self.members[:4]:
                act = act_sign(act=act, member=member, password=PASSWORD)
            self.assertIsNone(act.completed_at)
            self.assertEqual(destroy.call_count, 0)
            with self.assertRaisesMessage(ValidationError, "only once every member signed"):
                act_destroy(act=act, by=self.responsible)
            self.assertEqual(destroy.call_count, 0)
            act = act_sign(act=act, member=self.members[4], password=PASSWORD)
        self.assertIsNotNone(act.completed_at)
        self.assertIsNotNone(act.destroyed_at)
        destroyed = {call.kwargs["appeal"] for call in destroy.call_args_list}
        self.assertEqual(destroyed, {self.cases["old"], self.cases["old_referred"]})
        self.assertEqual(
            {call.kwargs["act_reference"] for call in destroy.call_args_list}, {act.reference}
        )
        self.assertEqual(act.lines.filter(destroyed_at__isnull=True).count(), 0)
        for key in ("old", "old_referred"):
            case = Appeal.objects.get(pk=self.cases[key].pk)
            self.assertEqual(bytes(case.sealed_content), b"")
            self.assertEqual(case.destruction_act, act.reference)
            self.assertEqual(case.kind, self.cases[key].kind)  # what the statistics count stays
        recent = Appeal.objects.get(pk=self.cases["recent"].pk)
        self.assertIsNone(recent.destroyed_on)
        self.assertNotEqual(bytes(recent.sealed_content), b"")
        for signature in ActSignature.objects.filter(act=act):
            self.assertTrue(
                crypto.signature_verify(
                    bytes(signature.public_key), act_message(act.content), bytes(signature.value)
                )
            )

    def test_an_act_completed_in_the_database_without_the_signatures_destroys_nothing(self):
        act = act_draw_up(meeting=self.decide(), by=self.responsible)
        for member in self.members[:4]:
            act = act_sign(act=act, member=member, password=PASSWORD)
        DestructionAct.objects.filter(pk=act.pk).update(completed_at=timezone.now())
        with self.assertRaisesMessage(ValidationError, "signature of the act does not hold"):
            act_destroy(act=act, by=self.responsible)
        self.assertFalse(Appeal.objects.filter(destroyed_on__isnull=False).exists())

    def test_a_case_added_to_a_signed_act_in_the_database_destroys_nothing(self):
        act = act_draw_up(meeting=self.decide(), by=self.responsible)
        with mock.patch.object(services, "appeal_destroy") as destroy:
            for member in self.members:
                act = act_sign(act=act, member=member, password=PASSWORD)
            self.assertEqual(destroy.call_count, 2)
        destroy_calls = destroy.call_count
        act.lines.update(destroyed_at=None)
        ActLine.objects.create(act=act, position=99, appeal=self.cases["recent"])
        with (
            mock.patch.object(services, "appeal_destroy") as destroy,
            self.assertRaisesMessage(ValidationError, "not the ones its signed content lists"),
        ):
            act_destroy(act=act, by=self.responsible)
        self.assertEqual(destroy.call_count, 0)
        self.assertEqual(destroy_calls, 2)

    def test_a_case_reopened_after_the_act_is_not_destroyed_and_the_act_stays_unfinished(self):
        act = act_draw_up(meeting=self.decide(), by=self.responsible)
        Appeal.objects.filter(pk=self.cases["old"].pk).update(status=Status.CONSIDERING)
        for member in self.members:
            act = act_sign(act=act, member=member, password=PASSWORD)
        self.assertIsNotNone(act.completed_at)
        self.assertIsNone(act.destroyed_at)
        self.assertIsNone(Appeal.objects.get(pk=self.cases["old"].pk).destroyed_on)
        self.assertIsNotNone(Appeal.objects.get(pk=self.cases["old_referred"].pk).destroyed_on)
        self.login(self.responsible)
        page = reverse("retention:act", args=[self.school.slug, act.pk])
        self.assertContains(self.client.get(page), "Finish the destruction")

    def test_who_is_not_a_member_cannot_sign_nor_a_member_twice(self):
        act = act_draw_up(meeting=self.decide(), by=self.responsible)
        with self.assertRaisesMessage(ValidationError, "Only the members"):
            act_sign(act=act, member=self.teacher, password=PASSWORD)
        act_sign(act=act, member=self.members[0], password=PASSWORD)
        with self.assertRaisesMessage(ValidationError, "has already signed"):
            act_sign(act=act, member=self.members[0], password=PASSWORD)
        with self.assertRaisesMessage(ValidationError, "not your password"):
            act_sign(act=act, member=self.members[1], password="wrong")
        self.assertEqual(act.signatures.count(), 1)

    def test_members_sign_on_the_acts_page_and_have_a_todo_line_until_they_do(self):
        act = act_draw_up(meeting=self.decide(), by=self.responsible)
        url = reverse("retention:act", args=[self.school.slug, act.pk])
        self.login(self.members[3])
        self.assertContains(self.client.get(url), self.cases["old"].number)
        dashboard = reverse("core:dashboard", args=[self.school.slug])
        self.assertContains(self.client.get(dashboard), "Sign the act of destruction № 1")
        response = self.client.post(
            reverse("retention:sign", args=[self.school.slug, act.pk]), {"password": PASSWORD}
        )
        self.assertRedirects(response, url)
        self.assertTrue(act.signatures.filter(member=self.members[3]).exists())
        self.assertNotContains(self.client.get(dashboard), "Sign the act of destruction")
