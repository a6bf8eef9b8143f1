"""The home page's school search finds a school typed in Latin letters as well as in Cyrillic."""

from django.conf import settings
from django.urls import reverse

from trustbox.schools.models import School
from trustbox.schools.selectors import schools_search
from trustbox.test import BaseTestCase


class SearchInEitherAlphabetTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.school.name = "С. Мырзакматов атындагы №12 орто мектеби"
        self.school.save()
        School.objects.create(name="Жаңы-Жол орто мектеби", slug="jangy-jol")
        School.objects.create(name="Үсөнбаев атындагы гимназия", slug="usonbaev")
        School.objects.create(name="Kyzyl-Kyya lyceum", slug="kyzyl-kyya")

    def found(self, query):
        return [school.slug for school in schools_search(query, limit=10)]

    def test_a_school_named_in_cyrillic_is_found_by_its_name_in_latin_letters(self):
        for query, slug in (
            ("Myrzakmatov", "alatoo"),
            ("myrzakmatov 12", "alatoo"),
            ("Jangy-Jol", "jangy-jol"),
            ("Zhany-Zhol", "jangy-jol"),
            ("Üsönbaev", "usonbaev"),
            ("Usonbayev", "usonbaev"),
        ):
            with self.subTest(query=query):
                self.assertEqual(self.found(query), [slug])

    def test_a_school_named_in_latin_letters_is_found_by_its_name_in_cyrillic(self):
        for query in ("Кызыл-Кыя", "кызыл-кия", "Кызыл"):
            with self.subTest(query=query):
                self.assertEqual(self.found(query), ["kyzyl-kyya"])

    def test_the_home_page_finds_myrzakmatov_typed_in_latin_letters(self):
        response = self.client.get(reverse("core:home"), {"q": "Myrzakmatov"})
        self.assertContains(response, "Schools found")
        self.assertContains(response, 'href="/b/alatoo/"')
        self.assertNotContains(response, 'href="/b/jangy-jol/"')

    def test_a_latin_query_still_needs_every_word(self):
        self.assertEqual(self.found("Myrzakmatov Jangy"), [])
