from django.urls import reverse

from trustbox.test import BaseTestCase


class TenantIsolationTestCase(BaseTestCase):
    """A person of one school never sees anything of another."""

    def other_school_urls(self):
        pk = self.other_commission.pk
        return [
            reverse("core:dashboard", args=["other"]),
            reverse("schools:people", args=["other"]),
            reverse("commission:overview", args=["other"]),
            reverse("commission:appoint", args=["other"]),
            reverse("commission:detail", args=["other", pk]),
            reverse("commission:elect", args=["other", pk]),
            reverse("seal:ceremony", args=["other"]),
            reverse("seal:member_key", args=["other"]),
            reverse("seal:box_key", args=["other"]),
            reverse("box_staff:overview", args=["other"]),
            reverse("box_staff:poster", args=["other", "ky"]),
        ]

    def test_every_page_of_another_school_is_not_found(self):
        for user in (self.director, self.responsible, self.teacher, self.viewer, self.operator):
            self.login(user)
            for url in self.other_school_urls():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, {}).status_code, 404)

    def test_another_schools_commission_is_not_found_through_ones_own_school(self):
        self.login(self.director)
        for name in ("commission:detail", "commission:elect"):
            url = reverse(name, args=["alatoo", self.other_commission.pk])
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_home_page_lists_only_ones_own_schools(self):
        self.login(self.director)
        response = self.client.get(reverse("core:home"), follow=True)
        self.assertContains(response, "School alatoo")
        self.assertNotContains(response, "School other")

    def test_pages_of_ones_school_show_nothing_of_another(self):
        self.login(self.director)
        for url in (
            reverse("schools:people", args=["alatoo"]),
            reverse("commission:overview", args=["alatoo"]),
            reverse("commission:appoint", args=["alatoo"]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "Other-")

    def test_the_order_form_refuses_people_of_another_school(self):
        self.login(self.director)
        outsider = self.other_commission.members.first()
        response = self.client.post(
            reverse("commission:appoint", args=["alatoo"]),
            {
                "order_number": "99",
                "order_date": "2026-10-01",
                "members": [self.members[0].pk, self.members[1].pk, outsider.pk],
                "parents_representative": outsider.pk,
                "responsible": self.members[0].pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.school.commissions.count(), 1)

    def test_a_district_viewer_sees_only_their_district(self):
        self.login(self.viewer)
        response = self.client.get(reverse("core:district", args=["ala-too"]))
        self.assertContains(response, "School alatoo")
        self.assertNotContains(response, "School other")
        self.assertNotContains(response, self.director.full_name)
        response = self.client.get(reverse("core:district", args=["other-district"]))
        self.assertEqual(response.status_code, 404)

    def test_school_staff_cannot_see_the_district_page(self):
        self.login(self.director)
        response = self.client.get(reverse("core:district", args=["ala-too"]))
        self.assertEqual(response.status_code, 404)
