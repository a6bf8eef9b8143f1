import datetime

from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trustbox.audit.actions import action_groups
from trustbox.audit.models import AuditEntry, WriterEntry
from trustbox.audit.selectors import PAGE_SIZE
from trustbox.audit.services import audit_checkpoint, audit_write
from trustbox.audit.tests.actions import TrialAction
from trustbox.box.services import Found, appeal_find_by_receipt
from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_elect
from trustbox.lib.dates import long_date
from trustbox.registry.actions import AppealAction, ReadPurpose
from trustbox.registry.consideration import appeal_reply
from trustbox.registry.services import appeal_file_read
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.writer import writer_message_add
from trustbox.test import BaseTestCase


def sign_in(case: BaseTestCase, user) -> None:
    """Sign in, reading the pages in English."""
    case.login(user)
    case.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})


def elect_chair(case: BaseTestCase) -> None:
    """members[1] becomes the chair, members[2] the secretary."""
    m1, m2, m3, _m4, _parent = case.members
    commission_elect(
        commission=case.commission,
        by=case.responsible,
        held_on=datetime.date(2026, 9, 5),
        ballots=[Ballot(voter=v, chair=m2, secretary=m3) for v in (m1, m2, m3)],
    )


class AuditLogAccessTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        elect_chair(self)
        self.chair = self.members[1]
        self.url = reverse("audit:log", args=[self.school.slug])

    def test_the_chair_sees_the_log(self):
        sign_in(self, self.chair)
        response = self.client.get(self.url)
        self.assertContains(response, "Audit log")
        self.assertContains(response, 'class="table-scroll"')

    def test_the_director_sees_the_log(self):
        sign_in(self, self.director)
        self.assertContains(self.client.get(self.url), "appointed the commission")

    def test_a_member_who_is_not_the_chair_is_refused(self):
        sign_in(self, self.members[3])
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_teacher_is_refused(self):
        sign_in(self, self.teacher)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_person_of_another_school_is_told_it_does_not_exist(self):
        sign_in(self, self.other_director)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_someone_signed_out_is_sent_to_the_login(self):
        self.assertRedirects(
            self.client.get(self.url),
            f"{reverse('accounts:login')}?next={self.url}",
            fetch_redirect_response=False,
        )

    def test_reading_the_log_writes_nothing_in_it(self):
        sign_in(self, self.director)
        before = AuditEntry.objects.count()
        self.client.get(self.url)
        self.client.get(self.url, {"action": "appeal.", "page": "2"})
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_it_shows_only_this_schools_entries(self):
        audit_write(school=self.other_school, actor=self.other_director, action=TrialAction.SECRET)
        sign_in(self, self.director)
        self.assertNotContains(self.client.get(self.url), "other.secret")


class AuditLogPageTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("audit:log", args=[self.school.slug])
        sign_in(self, self.director)

    def entries(self, response):
        return [row.entry for row in response.context["rows"]]

    def test_an_untouched_chain_is_said_to_be_whole_with_its_length(self):
        total = AuditEntry.objects.filter(school=self.school).count()
        response = self.client.get(self.url)
        self.assertContains(response, f"The chain of the audit log is whole ({total} entries).")
        self.assertNotContains(response, "is broken")

    def test_a_changed_entry_makes_the_page_warn_and_name_it(self):
        entry = audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        audit_write(school=self.school, actor=self.director, action=TrialAction.AFTER)
        AuditEntry.raw.filter(pk=entry.pk).update(action="x")
        response = self.client.get(self.url)
        self.assertContains(response, "the chain of the audit log is broken")
        self.assertContains(response, f"Entry № {entry.pk}: its content was changed")
        self.assertNotContains(response, "is whole")

    def test_a_removed_entry_makes_the_page_name_the_one_after_it(self):
        removed = audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        after = audit_write(school=self.school, actor=self.director, action=TrialAction.AFTER)
        AuditEntry.raw.filter(pk=removed.pk).delete()
        response = self.client.get(self.url)
        self.assertContains(response, f"Entry № {after.pk}: it does not follow the entry before")

    def test_without_a_daily_check_the_page_checks_everything_and_says_so(self):
        last = audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        response = self.client.get(self.url)
        self.assertContains(
            response,
            f"Checked in full just now, up to entry № {last.pk}, with the writers' entries.",
        )

    def test_after_the_daily_check_the_page_says_what_it_checked_now_and_since_when(self):
        audit_checkpoint(school=self.school)
        audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        last = audit_write(school=self.school, actor=self.director, action=TrialAction.AFTER)
        response = self.client.get(self.url)
        day = long_date(timezone.localdate(), "en")
        self.assertContains(
            response,
            f"Checked just now: the 2 entries written since the full check of {day}, up to "
            f"entry № {last.pk}; the daily job checked the entries before in full.",
        )
        total = AuditEntry.objects.filter(school=self.school).count()
        self.assertContains(response, f"The chain of the audit log is whole ({total} entries).")

    def test_the_writers_entries_are_counted_and_checked_with_the_staffs(self):
        changed = audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )
        audit_write(
            school=self.school, actor=None, action=AppealAction.WRITER_MESSAGE, by_writer=True
        )
        total = AuditEntry.objects.filter(school=self.school).count() + 2
        self.assertContains(
            self.client.get(self.url), f"The chain of the audit log is whole ({total} entries)."
        )
        WriterEntry.raw.filter(pk=changed.pk).update(details={"by": "someone"})
        response = self.client.get(self.url)
        self.assertContains(response, f"Writer's entry № {changed.pk}: its content was changed")
        self.assertRegex(
            response.content.decode(), rf'writer\'s № {changed.pk}\s+<span class="bad">broken'
        )

    def test_removed_newest_entries_are_named_by_the_head_of_the_chain(self):
        kept = audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        removed = audit_write(school=self.school, actor=self.director, action=TrialAction.AFTER)
        AuditEntry.raw.filter(pk=removed.pk).delete()
        self.assertContains(
            self.client.get(self.url),
            f"The chain ends at entry № {kept.pk}, not where its head says",
        )

    def test_the_newest_entries_come_first_fifty_to_a_page(self):
        written = [
            audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
            for i in range(PAGE_SIZE + 5)
        ]
        total = AuditEntry.objects.filter(school=self.school).count()
        first = self.client.get(self.url)
        self.assertEqual(len(self.entries(first)), PAGE_SIZE)
        self.assertEqual(self.entries(first)[0], written[-1])
        self.assertContains(first, "page=2")
        second = self.client.get(self.url, {"page": 2})
        self.assertEqual(len(self.entries(second)), total - PAGE_SIZE)
        self.assertNotIn(written[-1], self.entries(second))

    def test_the_pages_keep_the_filters(self):
        for _i in range(PAGE_SIZE + 1):
            audit_write(school=self.school, actor=self.director, action=TrialAction.STEP)
        response = self.client.get(self.url, {"action": "test."})
        self.assertContains(response, "action=test.&amp;page=2")

    def test_the_number_of_queries_does_not_grow_with_the_rows_shown(self):
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as few_rows:
            self.client.get(self.url)
        for i in range(PAGE_SIZE):
            audit_write(
                school=self.school,
                actor=self.members[i % 4],
                action=AppealAction.READ,
                target=self.members[i % 3],
            )
        with CaptureQueriesContext(connection) as full_page:
            self.client.get(self.url)
        # Fewer kinds of things are named on the full page: one query less, not fifty more.
        self.assertLessEqual(len(full_page), len(few_rows))

    def test_an_action_filter_naming_an_action_shows_only_that_action(self):
        audit_write(school=self.school, actor=self.director, action=AppealAction.READ)
        audit_write(school=self.school, actor=self.director, action=AppealAction.REGISTER)
        response = self.client.get(self.url, {"action": "appeal.read"})
        self.assertEqual({e.action for e in self.entries(response)}, {"appeal.read"})

    def test_an_action_filter_may_be_the_beginning_of_actions(self):
        audit_write(school=self.school, actor=self.director, action=AppealAction.READ)
        audit_write(school=self.school, actor=self.director, action=AppealAction.REGISTER)
        response = self.client.get(self.url, {"action": "appeal."})
        self.assertEqual(
            {e.action for e in self.entries(response)}, {"appeal.read", "appeal.register"}
        )

    def test_the_action_filter_offers_every_known_action_with_its_label(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<option value="appeal.read">read an appeal</option>')
        self.assertContains(response, '<option value="appeal.">every action on appeals</option>')

    def test_a_person_filter_shows_only_what_that_person_did(self):
        audit_write(school=self.school, actor=self.members[2], action=AppealAction.READ)
        response = self.client.get(self.url, {"actor": self.members[2].pk})
        self.assertEqual({e.actor for e in self.entries(response)}, {self.members[2]})

    def test_the_person_filter_offers_only_people_found_in_this_log(self):
        response = self.client.get(self.url)
        people = set(response.context["form"].fields["actor"].queryset)
        self.assertIn(self.director, people)
        self.assertNotIn(self.other_director, people)

    def test_a_date_filter_keeps_the_local_days_asked_for(self):
        today = timezone.localdate()
        yesterday = today - datetime.timedelta(days=1)
        response = self.client.get(self.url, {"start": today, "end": today})
        self.assertTrue(self.entries(response))
        response = self.client.get(self.url, {"start": yesterday, "end": yesterday})
        self.assertEqual(self.entries(response), [])

    def test_a_period_that_ends_before_it_starts_is_refused(self):
        response = self.client.get(self.url, {"start": "2026-10-02", "end": "2026-10-01"})
        self.assertContains(response, "The period ends before it starts.")

    def test_an_unknown_action_is_shown_as_its_code(self):
        audit_write(school=self.school, actor=self.director, action=TrialAction.UNKNOWN)
        self.assertContains(self.client.get(self.url), "test.unknown")

    def test_details_show_only_purpose_channel_and_outcome(self):
        audit_write(
            school=self.school,
            actor=self.director,
            action=AppealAction.DECIDE,
            details={"outcome": "psychologist", "to": 12345, "number": "SECRET-999"},
        )
        response = self.client.get(self.url)
        self.assertContains(response, "outcome: referred to the psychologist")
        self.assertNotContains(response, "SECRET-999")
        self.assertNotContains(response, "12345")

    def test_an_entry_without_a_person_that_is_not_the_writers_is_the_systems(self):
        audit_write(school=self.school, actor=None, action=TrialAction.CRON)
        row = self.client.get(self.url).context["rows"][0]
        self.assertEqual(str(row.who), "system")
        self.assertFalse(row.day_only)


class AuditLogOfAppealsTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        self.appeal = self.register(self.anonymous)
        self.url = reverse("audit:log", args=[self.school.slug])
        sign_in(self, self.director)

    def test_it_names_who_read_an_appeal_and_links_to_it_by_its_number(self):
        reader = self.members[2]
        appeal_file_read(
            appeal=self.appeal,
            by=reader,
            purpose=ReadPurpose.VIEW,
            case_private=self.case_private(self.appeal, reader),
        )
        response = self.client.get(self.url, {"action": "appeal.read"})
        self.assertContains(response, reader.full_name)
        self.assertContains(response, "read an appeal")
        self.assertContains(response, "purpose: to view its file")
        detail = reverse("registry:detail", args=[self.school.slug, self.appeal.pk])
        self.assertContains(response, f'<a href="{detail}">{self.appeal.number}</a>', html=True)

    def test_an_appeal_not_yet_registered_is_named_by_its_opening_and_line(self):
        from trustbox.registry.keys import registry_unlock
        from trustbox.test import PASSWORD

        registry_private = registry_unlock(
            school=self.school, user=self.responsible, password=PASSWORD
        )
        appeal_file_read(
            appeal=self.signed,
            by=self.responsible,
            purpose=ReadPurpose.VIEW,
            registry_private=registry_private,
        )
        response = self.client.get(self.url, {"action": "appeal.read"})
        name = f"opening {self.opening.journal_number}, line {self.signed.number_in_act}"
        self.assertContains(response, name)

    def test_the_writer_is_named_as_such_and_only_the_day_is_shown(self):
        appeal_reply(
            appeal=self.appeal, by=self.responsible, text="We hear you.", channel="receipt"
        )
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        assert isinstance(found, Found)
        writer_message_add(found=found, text="Thank you.")
        response = self.client.get(self.url)
        # Knowing only its day, the writer's entry comes after the staff's entries of the day.
        row = next(row for row in response.context["rows"] if row.writer)
        self.assertEqual(row.entry.action, "appeal.writer_message")
        self.assertContains(response, f"writer's № {row.entry.pk}")
        self.assertEqual(str(row.who), "the writer")
        self.assertTrue(row.day_only)
        self.assertContains(response, "wrote back about their appeal")
        day = row.when.date()
        self.assertContains(
            response,
            f'<time datetime="{day:%Y-%m-%d}">{long_date(day, "en")}</time>',
            html=True,
        )

    def test_the_reply_shows_its_channel(self):
        # Issue 21: an anonymous writer is answered through her receipt only.
        appeal_reply(
            appeal=self.appeal, by=self.responsible, text="We hear you.", channel="receipt"
        )
        response = self.client.get(self.url, {"action": "appeal.reply"})
        self.assertContains(response, "channel: through the receipt code")
        self.assertNotContains(response, "We hear you.")


class EveryActionHasALabelTestCase(TestCase):
    def test_every_app_declares_its_actions_with_labels_for_people(self):
        prefixes = {group.prefix for group in action_groups()}
        self.assertTrue(
            {"account.", "appeal.", "commission.", "opening.", "person.", "registry.", "seal."}
            <= prefixes
        )
        for group in action_groups():
            for code, label in group.actions.choices:
                self.assertTrue(code.startswith(group.prefix))
                self.assertNotEqual(str(label), code)

    def test_a_string_is_not_an_audit_action(self):
        with self.assertRaises(TypeError):
            audit_write(school=None, actor=None, action="appeal.read")
