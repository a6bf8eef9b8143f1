"""The public home page: a child who types the site's address finds their school and its box."""

import logging

from django.conf import settings
from django.urls import reverse

from trustbox.schools.models import School
from trustbox.schools.selectors import SchoolListed, schools_search
from trustbox.test import BaseTestCase


class HomePageTestCase(BaseTestCase):
    url = reverse("core:home")

    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.school.name = "С. Мырзакматов атындагы №12 орто мектеби"
        self.school.save()

    def test_the_home_page_offers_the_search_first_and_a_small_staff_login(self):
        response = self.client.get(self.url)
        html = response.content.decode()
        self.assertIn('<form class="search" method="get" action="/" role="search">', html)
        self.assertIn('name="q"', html)
        self.assertIn('<p class="staff"><a href="/accounts/login/">Staff login</a></p>', html)
        self.assertNotIn('class="button" href="/accounts/login/"', html)
        self.assertLess(html.index('name="q"'), html.index("Staff login"))
        self.assertNotContains(response, "Schools found")
        # Search engines may list the home page, never a school's box.
        self.assertNotContains(response, 'name="robots"')
        box = self.client.get(reverse("box:appeal", args=["alatoo"]))
        self.assertContains(box, '<meta name="robots" content="noindex">')

    def test_a_school_is_found_by_a_part_of_its_name_typed_in_any_case(self):
        for query in ("мырзакматов", "МЫРЗАКМАТОВ", "№12 орто", "«Мырзакматов»"):
            with self.subTest(query=query):
                response = self.client.get(self.url, {"q": query})
                self.assertContains(response, "Schools found")
                self.assertContains(response, 'href="/b/alatoo/"')
                self.assertNotContains(response, 'href="/b/other/"')

    def test_a_school_is_found_by_its_district(self):
        response = self.client.get(self.url, {"q": "ala-too"})
        self.assertContains(response, 'href="/b/alatoo/"')
        self.assertContains(response, "Ala-Too district")
        self.assertNotContains(response, 'href="/b/other/"')

    def test_every_word_of_the_query_must_match(self):
        response = self.client.get(self.url, {"q": "мырзакматов other"})
        self.assertNotContains(response, 'href="/b/alatoo/"')
        self.assertContains(response, "No school has this name or district.")

    def test_the_results_show_names_districts_and_box_addresses_only(self):
        response = self.client.get(self.url, {"q": "school"})
        self.assertEqual([type(found) for found in response.context["schools"]], [SchoolListed])
        html = response.content.decode()
        results = html[html.index('<ul class="schools">') : html.index("</ul>")]
        self.assertEqual(
            results,
            '<ul class="schools">\n<li><a href="/b/other/">School other'
            "<span>Other district</span></a></li>\n",
        )

    def test_the_results_are_limited(self):
        School.objects.bulk_create(
            School(name=f"Орто мектеп №{n}", slug=f"school-{n}") for n in range(30)
        )
        response = self.client.get(self.url, {"q": "орто мектеп"})
        self.assertEqual(len(response.context["schools"]), 20)
        self.assertContains(response, "More schools match.")
        self.assertEqual(len(schools_search("орто мектеп", limit=50)), 30)

    def test_the_query_is_not_logged_and_the_page_is_not_cached(self):
        with self.assertNoLogs(level=logging.DEBUG):
            response = self.client.get(self.url, {"q": "мырзакматов"})
        self.assertIn("no-store", response["Cache-Control"])

    def test_an_empty_or_too_long_query_finds_nothing(self):
        self.assertNotContains(self.client.get(self.url, {"q": "   "}), "Schools found")
        self.assertEqual(schools_search("", limit=5), [])
        response = self.client.get(self.url, {"q": "x" * 101})
        self.assertNotContains(response, "Schools found")

    def test_signed_in_staff_of_one_school_land_on_its_to_do_list(self):
        self.login(self.director)
        response = self.client.get(self.url, {"q": "мырзакматов"})
        self.assertRedirects(response, reverse("core:dashboard", args=["alatoo"]))


class FaviconTestCase(BaseTestCase):
    def test_the_favicon_answers_and_is_cached(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/x-icon")
        self.assertTrue(response.content.startswith(b"\x00\x00\x01\x00"))
        self.assertIn("max-age=604800", response["Cache-Control"])
        self.assertIn("public", response["Cache-Control"])
