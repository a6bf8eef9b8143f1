from django.conf import settings
from django.urls import reverse

from trustbox.meetings.models import Protocol
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.test import PASSWORD, BaseTestCase


class CompliancePageTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def page(self, user, language):
        client = self.login(user)
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
        return client.get(reverse("compliance:school", args=["alatoo"]))

    def test_the_page_goes_clause_by_clause_in_english(self):
        response = self.page(self.director, "en")
        for clause in ("Cl. 4.1, 4.2", "Cl. 4.5", "Cl. 4.3", "Cl. 3.1, 3.3", "Cl. 3.2", "Cl. 4.6"):
            self.assertContains(response, clause)
        self.assertContains(response, "and is not finalised.")
        self.assertContains(response, 'href="/s/alatoo/reports/"')
        self.assertContains(response, "A deadline that falls on a weekend or a public holiday")

    def test_the_page_speaks_kyrgyz(self):
        response = self.page(self.members[0], "ky")
        self.assertContains(response, "Жобонун талаптарынын аткарылышы")
        self.assertContains(response, "4.3-пункт")
        self.assertContains(response, "-жылдын")
        self.assertContains(response, "4.6-пункт")

    def test_the_page_speaks_russian(self):
        response = self.page(self.members[0], "ru")
        self.assertContains(response, "Соблюдение Положения")
        self.assertContains(response, "Пункт 4.3")
        self.assertContains(response, "Пункт 4.6")

    def test_only_the_director_and_the_commission_see_the_page(self):
        self.assertEqual(self.page(self.teacher, "en").status_code, 403)
        self.assertEqual(self.page(self.director, "en").status_code, 200)

    def test_the_menu_and_the_dashboard_lead_to_the_page(self):
        client = self.login(self.members[3])
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertContains(response, 'href="/s/alatoo/compliance/"', count=2)
        self.assertContains(response, 'href="/s/alatoo/meetings/"', count=2)
        teacher = self.login(self.teacher, self.client_class())
        response = teacher.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertNotContains(response, "/s/alatoo/compliance/")
        self.assertNotContains(response, "/s/alatoo/meetings/")


class DistrictPageTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()
        protocol = Protocol.objects.get(school=cls.school)
        for member in cls.members[:4]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)

    def test_the_district_sees_every_school_side_by_side_without_names(self):
        client = self.login(self.viewer)
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.get(reverse("core:district", args=["ala-too"]))
        self.assertContains(response, "School alatoo")
        self.assertNotContains(response, "School other")
        self.assertContains(response, "Cl. 4.3")
        self.assertContains(response, "a protocol is not signed by all")
        page = response.content.decode()
        for person in [self.director, *self.members, self.teacher]:
            self.assertNotIn(person.full_name, page)
        self.assertNotIn("/s/alatoo/", page)

    def test_a_district_lists_every_school_of_it(self):
        from trustbox.schools.models import School

        School.objects.create(district=self.district, name="School second", slug="second")
        client = self.login(self.viewer)
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.get(reverse("core:district", args=["ala-too"]))
        self.assertContains(response, "School second")
        self.assertContains(response, "no commission")
        self.assertEqual(len(response.context["rows"]), 2)
