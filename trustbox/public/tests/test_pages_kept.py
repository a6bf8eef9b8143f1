"""The form and the receipt rendered once and filled in per request (trustbox.public.pages)."""

import re

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import appeal_data, receipt_code_on, receipt_picture_on
from trustbox.public import pages
from trustbox.schools.models import School
from trustbox.seal.models import BoxKey
from trustbox.test import BaseTestCase, SealedBoxTestCase

TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class KeptPagesTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        super().setUp()
        pages.pages_forget()
        self.addCleanup(pages.pages_forget)

    def visitor(self, language="en"):
        client = Client(enforce_csrf_checks=True)
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
        return client

    def form(self, client):
        html = client.get(self.url).content.decode()
        return html, TOKEN.search(html).group(1), CSRF.findall(html)

    def test_each_visitor_gets_a_token_and_a_csrf_token_of_their_own_that_send_the_form(self):
        first, second = self.visitor(), self.visitor()
        html_1, token_1, csrf_1 = self.form(first)
        html_2, token_2, csrf_2 = self.form(second)
        self.assertNotEqual(token_1, token_2)
        # The language switch and the form carry the same token, as Django renders them.
        self.assertEqual(len(set(csrf_1)), 1)
        self.assertNotEqual(csrf_1[0], csrf_2[0])
        self.assertNotIn(pages.slot("csrf"), html_1 + html_2)
        self.assertNotIn(pages.slot("token"), html_1 + html_2)
        self.assertIn("csrftoken", first.cookies)
        for client, token, csrf in ((first, token_1, csrf_1[0]), (second, token_2, csrf_2[0])):
            data = appeal_data(token=token, csrfmiddlewaretoken=csrf)
            response = client.post(self.url, data)
            self.assertContains(response, "Your appeal is in the box")
        self.assertEqual(SealedAppeal.objects.count(), 2)

    def test_a_token_of_a_kept_page_is_sent_once(self):
        client = self.visitor()
        _html, token, csrf = self.form(client)
        data = appeal_data(token=token, csrfmiddlewaretoken=csrf[0])
        self.assertEqual(client.post(self.url, data).status_code, 200)
        self.assertContains(client.post(self.url, data), "This appeal is already in the box")
        self.assertEqual(SealedAppeal.objects.count(), 1)

    def test_a_school_renamed_shows_its_new_name_at_once(self):
        self.assertContains(self.visitor().get(self.url), "School alatoo")
        School.objects.filter(pk=self.school.pk).update(name="Ala-Too gymnasium №5")
        response = self.visitor().get(self.url)
        self.assertContains(response, "Ala-Too gymnasium №5")
        self.assertNotContains(response, "School alatoo")

    def test_a_box_no_longer_sealed_no_longer_shows_the_form(self):
        self.assertContains(self.visitor().get(self.url), 'name="text"')
        BoxKey.objects.filter(school=self.school).delete()
        response = self.visitor().get(self.url)
        self.assertContains(response, "not open for appeals yet")
        self.assertNotContains(response, 'name="text"')

    def test_each_language_and_the_kiosk_have_a_page_of_their_own(self):
        english = self.visitor("en").get(self.url).content.decode()
        russian = self.visitor("ru").get(self.url).content.decode()
        kiosk = self.visitor("en").get(reverse("box:kiosk", args=["alatoo"])).content.decode()
        self.assertIn('lang="en"', english)
        self.assertIn('lang="ru"', russian)
        self.assertIn("data-kiosk", kiosk)
        self.assertNotIn("data-kiosk", english)

    def test_an_address_with_a_query_is_rendered_for_itself(self):
        self.visitor().get(self.url)
        html = self.visitor().get(self.url + "?from=poster").content.decode()
        self.assertIn('name="next" value="/b/alatoo/?from=poster"', html)
        self.assertIn(
            'name="next" value="/b/alatoo/"', self.visitor().get(self.url).content.decode()
        )

    def test_the_blank_form_is_the_one_django_renders(self):
        client = self.visitor()
        kept = client.get(self.url).content.decode()
        fresh = client.get(self.url + "?again=1").content.decode()

        def comparable(html):
            html = TOKEN.sub('name="token" value=""', html)
            html = CSRF.sub('name="csrfmiddlewaretoken" value=""', html)
            return html.replace("?again=1", "")

        self.assertEqual(comparable(kept), comparable(fresh))

    def test_each_receipt_shows_its_own_code_and_picture_and_no_code_is_kept(self):
        codes, pictures = [], []
        for _ in range(2):
            response = self.client.post(self.url, appeal_data())
            codes.append(receipt_code_on(response))
            pictures.append(receipt_picture_on(response))
        self.assertNotEqual(codes[0], codes[1])
        self.assertNotEqual(pictures[0], pictures[1])
        kept = "".join(pages._pages.values())
        for code in codes:
            self.assertNotIn(code, kept)
            self.assertNotIn(code.replace("-", ""), kept)
        self.assertNotIn("data:image/png", kept)

    def test_the_form_costs_one_query_and_an_appeal_five(self):
        self.client.post(self.url, appeal_data())  # the school's first appeal makes its box
        client = self.visitor()
        client.get(self.url)
        with CaptureQueriesContext(connection) as shown:
            _html, token, csrf = self.form(client)
        with CaptureQueriesContext(connection) as sent:
            response = client.post(self.url, appeal_data(token=token, csrfmiddlewaretoken=csrf[0]))
        self.assertEqual(response.status_code, 200)
        statements = [
            query["sql"].split()[0]
            for query in sent.captured_queries
            if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]
        self.assertEqual(len(shown.captured_queries), 1)
        # The school with its box key and salt; the form's token spent; the box's head; the
        # appeal; the new head.
        self.assertEqual(statements, ["SELECT", "INSERT", "SELECT", "INSERT", "UPDATE"])


class NotSealedTestCase(BaseTestCase):
    def test_a_box_sealed_after_the_page_was_kept_shows_the_form(self):
        url = reverse("box:appeal", args=["alatoo"])
        pages.pages_forget()
        self.addCleanup(pages.pages_forget)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.assertContains(self.client.get(url), "not open for appeals yet")
        from trustbox.seal.services import box_key_create, member_key_set
        from trustbox.test import PASSWORD

        for member in self.members:
            member_key_set(user=member, password=PASSWORD, school=self.school)
        box_key_create(school=self.school, by=self.members[1])
        self.assertContains(self.client.get(url), 'name="text"')
