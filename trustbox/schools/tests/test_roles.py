from django.urls import reverse

from trustbox.accounts.access import Role, roles_in
from trustbox.test import BaseTestCase


class RolesTestCase(BaseTestCase):
    def test_roles_come_from_the_membership_and_the_commission_in_force(self):
        self.assertEqual(roles_in(self.director, self.school), {Role.DIRECTOR})
        self.assertEqual(roles_in(self.responsible, self.school), {Role.MEMBER, Role.RESPONSIBLE})
        self.assertEqual(roles_in(self.parent, self.school), {Role.MEMBER})
        self.assertEqual(roles_in(self.teacher, self.school), set())
        self.assertEqual(roles_in(self.viewer, self.school), {Role.DISTRICT_VIEWER})
        self.assertEqual(roles_in(self.operator, self.school), {Role.OPERATOR})
        self.assertEqual(roles_in(self.director, self.other_school), set())

    def test_only_the_director_enters_an_order(self):
        url = reverse("commission:appoint", args=["alatoo"])
        for user, status in (
            (self.director, 200),
            (self.responsible, 403),
            (self.parent, 403),
            (self.teacher, 403),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)
                if status == 403:
                    self.assertEqual(self.client.post(url, {}).status_code, 403)

    def test_only_the_director_adds_people(self):
        url = reverse("schools:people", args=["alatoo"])
        for user, status in ((self.director, 200), (self.responsible, 403), (self.teacher, 403)):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_every_person_of_the_school_sees_the_commission(self):
        for user in (self.director, self.responsible, self.teacher):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(reverse("commission:overview", args=["alatoo"]))
                self.assertContains(response, self.responsible.full_name)

    def test_the_operator_and_the_district_viewer_do_not_enter_a_school(self):
        for user in (self.operator, self.viewer):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(reverse("core:dashboard", args=["alatoo"]))
                self.assertEqual(response.status_code, 404)

    def test_the_dashboard_offers_the_order_form_only_to_the_director(self):
        url = reverse("commission:appoint", args=["alatoo"])
        self.school.commissions.all().delete()
        self.login(self.director)
        self.assertContains(self.client.get(reverse("core:dashboard", args=["alatoo"])), url)
        self.login(self.teacher)
        self.assertNotContains(self.client.get(reverse("core:dashboard", args=["alatoo"])), url)
