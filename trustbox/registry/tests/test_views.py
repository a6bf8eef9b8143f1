import base64
import re

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.registry.models import Appeal, Status
from trustbox.registry.session import COOKIE
from trustbox.registry.tests.helpers import ANONYMOUS_TEXT, SIGNED_TEXT, RegistryTestCase
from trustbox.seal.services import member_key_set, member_key_unlock
from trustbox.test import PASSWORD


class RegistryPagesTestCase(RegistryTestCase):
    def url(self, name, **kwargs):
        return reverse(f"registry:{name}", kwargs={"school": "alatoo", **kwargs})

    def enter(self, user, client=None):
        """Sign in, speak English and open the registry in this browser."""
        client = self.login(user, client or Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.post(self.url("unlock"), {"password": PASSWORD})
        self.assertRedirects(response, self.url("list"), fetch_redirect_response=False)
        return client

    def reads(self):
        return AuditEntry.objects.filter(action="appeal.read").count()

    def test_the_list_shows_what_waits_for_registration_without_decrypting(self):
        client = self.enter(self.responsible)
        before = AuditEntry.objects.filter(action="appeal.read").count()
        response = client.get(self.url("list"))
        self.assertContains(response, "To register: 2.")
        self.assertContains(response, "register by")
        self.assertNotContains(response, "SECRET")
        self.assertEqual(AuditEntry.objects.filter(action="appeal.read").count(), before)

    def test_the_list_filters_by_status_and_kind(self):
        self.register(self.anonymous)
        client = self.enter(self.responsible)
        response = client.get(self.url("list"), {"status": "registered"})
        self.assertContains(
            response, self.anonymous.__class__.objects.get(pk=self.anonymous.pk).number
        )
        self.assertNotContains(response, "opening 1, line 2")
        response = client.get(self.url("list"), {"kind": "gratitude"})
        self.assertContains(response, "No appeals here.")

    def test_urgent_appeals_still_waiting_come_first_and_dates_stay_on_one_line(self):
        # The signed appeal came second, so it is listed first; marked urgent, the first comes
        # first; answered, it goes back to its place.
        client = self.enter(self.responsible)
        order = re.compile(r"opening 1, line (\d)")
        self.assertEqual(order.findall(client.get(self.url("list")).content.decode()), ["2", "1"])
        Appeal.objects.filter(pk=self.anonymous.pk).update(urgent=True)
        page = client.get(self.url("list")).content.decode()
        self.assertEqual(order.findall(page), ["1", "2"])
        self.assertIn('<td class="date">', page)
        with self.settings(REGISTRY_PAGE_SIZE=1):
            pages = [client.get(self.url("list"), {"page": n}).content.decode() for n in (1, 2)]
        self.assertEqual([order.findall(page) for page in pages], [["1"], ["2"]])
        appeal = self.register(Appeal.objects.get(pk=self.anonymous.pk), urgent=True)
        Appeal.objects.filter(pk=appeal.pk).update(status=Status.CLOSED)
        page = client.get(self.url("list")).content.decode()
        self.assertEqual(order.findall(page), ["2"])
        self.assertLess(page.index("opening 1, line 2"), page.index(appeal.number))

    def test_the_list_is_paginated(self):
        with self.settings(REGISTRY_PAGE_SIZE=1):
            client = self.enter(self.responsible)
            response = client.get(self.url("list"))
            self.assertContains(response, "Page 1 of 2")
            response = client.get(self.url("list"), {"page": 2})
            self.assertContains(response, "Page 2 of 2")

    def test_reading_an_appeal_asks_to_open_the_registry_first(self):
        client = self.login(self.responsible, Client())
        detail = self.url("detail", pk=self.anonymous.pk)
        response = client.get(detail)
        self.assertRedirects(response, self.url("unlock") + "?next=" + detail)
        response = client.post(self.url("unlock") + "?next=" + detail, {"password": "wrong"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.reads(), 0, "nothing is read before the registry is open")
        response = client.post(self.url("unlock"), {"password": PASSWORD, "next": detail})
        self.assertRedirects(response, detail)
        cookie = response.cookies[COOKIE]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Strict")
        response = client.get(detail)
        self.assertContains(response, ANONYMOUS_TEXT)
        self.assertIn("no-store", response["Cache-Control"])
        read = AuditEntry.objects.filter(action="appeal.read", actor=self.responsible).last()
        self.assertEqual(read.details, {"purpose": "view"})

    def test_the_session_never_holds_the_personal_key_in_clear(self):
        self.enter(self.responsible, self.client)
        personal = member_key_unlock(user=self.responsible, password=PASSWORD)
        for session in Session.objects.all():
            raw = str(session.get_decoded())
            self.assertNotIn(base64.b64encode(personal).decode(), raw)
            self.assertNotIn(personal.hex(), raw)

    def test_a_stolen_session_without_the_browser_cookie_opens_nothing(self):
        client = self.enter(self.responsible)
        client.cookies.pop(COOKIE)
        detail = self.url("detail", pk=self.anonymous.pk)
        response = client.get(detail)
        self.assertRedirects(
            response, f"{self.url('unlock')}?next={detail}", fetch_redirect_response=False
        )

    def test_the_responsible_person_registers_with_a_corrected_category(self):
        client = self.enter(self.responsible)
        detail = self.url("detail", pk=self.anonymous.pk)
        response = client.post(
            detail,
            {
                "action": "register",
                "register-kind": "complaint",
                "register-category": "violence",
                "register-urgent": "on",
            },
        )
        self.assertRedirects(response, detail, fetch_redirect_response=False)
        appeal = Appeal.objects.get(pk=self.anonymous.pk)
        self.assertEqual(
            (appeal.status, appeal.category, appeal.urgent), (Status.REGISTERED, "violence", True)
        )
        response = client.get(detail)
        self.assertContains(response, f"Registered as № {appeal.number}.")

    def test_only_the_responsible_person_registers(self):
        client = self.enter(self.members[2])
        response = client.post(
            self.url("detail", pk=self.anonymous.pk),
            {"action": "register", "register-kind": "complaint", "register-category": "bullying"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Appeal.objects.get(pk=self.anonymous.pk).status, Status.TAKEN_OUT)

    def test_an_empty_reply_comes_back_with_a_message_and_a_long_one_keeps_its_text(self):
        self.register(self.anonymous)
        client = self.enter(self.responsible)
        detail = self.url("detail", pk=self.anonymous.pk)
        response = client.post(
            detail, {"action": "reply", "reply-text": "", "reply-channel": "receipt"}
        )
        self.assertContains(response, "This field is required.", status_code=400)
        long_text = "We hear you. " * 1000
        response = client.post(
            detail, {"action": "reply", "reply-text": long_text, "reply-channel": "receipt"}
        )
        self.assertContains(response, "We hear you. We hear you.", status_code=400)
        self.assertFalse(Appeal.objects.get(pk=self.anonymous.pk).entries.exists())

    def test_the_responsible_person_assigns_and_the_teacher_reads_only_that_appeal(self):
        self.register(self.anonymous)
        self.register(self.signed)
        member_key_set(user=self.teacher, password=PASSWORD, school=self.school)
        client = self.enter(self.responsible)
        detail = self.url("detail", pk=self.anonymous.pk)
        response = client.post(detail, {"action": "assign", "assign-assignee": self.teacher.pk})
        self.assertRedirects(response, detail)

        teacher = self.enter(self.teacher)
        response = teacher.get(self.url("list"))
        self.assertContains(response, Appeal.objects.get(pk=self.anonymous.pk).number)
        self.assertNotContains(response, Appeal.objects.get(pk=self.signed.pk).number)
        self.assertContains(teacher.get(detail), ANONYMOUS_TEXT)
        response = teacher.get(self.url("detail", pk=self.signed.pk))
        self.assertEqual(response.status_code, 404)
        response = teacher.post(detail, {"action": "note", "note-text": "Talked to the class."})
        self.assertRedirects(response, detail)
        response = teacher.post(detail, {"action": "assign", "assign-assignee": self.teacher.pk})
        self.assertEqual(response.status_code, 403)

    def refused(self, user):
        """Sign in; the registry does not open: nothing in it is for this person."""
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.post(self.url("unlock"), {"password": PASSWORD})
        self.assertContains(response, "Nothing in the registry is open to you.", status_code=403)
        return client

    def test_a_teacher_who_is_not_assigned_sees_nothing(self):
        self.register(self.anonymous)
        member_key_set(user=self.teacher, password=PASSWORD, school=self.school)
        teacher = self.refused(self.teacher)
        response = teacher.get(self.url("list"))
        self.assertContains(response, "No appeals here.")
        self.assertEqual(teacher.get(self.url("detail", pk=self.anonymous.pk)).status_code, 404)
        self.assertEqual(self.reads(), 0)

    def test_the_director_who_is_not_a_member_reads_no_appeal(self):
        member_key_set(user=self.director, password=PASSWORD, school=self.school)
        director = self.refused(self.director)
        self.assertContains(director.get(self.url("list")), "No appeals here.")
        self.assertEqual(director.get(self.url("detail", pk=self.signed.pk)).status_code, 404)
        self.assertEqual(self.reads(), 0)

    def test_another_schools_people_do_not_find_the_registry(self):
        client = self.login(self.other_director, Client())
        self.assertEqual(client.get(self.url("list")).status_code, 404)

    def test_a_decision_and_closing_from_the_page(self):
        self.register(self.signed)
        client = self.enter(self.responsible)
        detail = self.url("detail", pk=self.signed.pk)
        client.post(
            detail, {"action": "reply", "reply-text": "Fixed the soup.", "reply-channel": "paper"}
        )
        client.post(detail, {"action": "decide", "decide-outcome": "resolved", "decide-text": ""})
        response = client.post(detail, {"action": "close"})
        self.assertRedirects(response, detail)
        response = client.get(detail)
        self.assertContains(response, "closed")
        self.assertContains(response, SIGNED_TEXT)
        self.assertContains(response, "Fixed the soup.")
