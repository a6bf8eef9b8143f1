from django.conf import settings
from django.urls import reverse

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.schools.models import Membership
from trustbox.test import BaseTestCase


class PeopleTestCase(BaseTestCase):
    url = reverse("schools:people", args=["alatoo"])

    def setUp(self):
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def test_the_director_adds_a_person_with_an_initial_password_shown_once(self):
        response = self.client.post(
            self.url,
            {
                "full_name": "Nurlan Usenov",
                "position": "physics teacher",
                "kind": "employee",
                "username": "nurlan",
            },
        )
        self.assertContains(response, "An account for Nurlan Usenov is ready")
        user = User.objects.get(username="nurlan")
        self.assertTrue(user.must_change_password)
        self.assertTrue(Membership.objects.filter(user=user, school=self.school).exists())
        password = response.context["added"]["password"]
        self.assertTrue(user.check_password(password))
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotContains(self.client.get(self.url), password)
        entry = AuditEntry.objects.get(action="person.add", target=f"accounts.user:{user.pk}")
        self.assertEqual(entry.actor, self.director)
        self.assertNotIn(password, str(entry.details))

    def test_it_refuses_a_taken_login_and_keeps_what_was_typed(self):
        response = self.client.post(
            self.url,
            {
                "full_name": "Second Director",
                "position": "x",
                "kind": "employee",
                "username": self.director.username,
            },
        )
        self.assertContains(response, "This login is taken")
        self.assertContains(response, 'value="Second Director"')

    def test_it_refuses_a_login_with_spaces(self):
        response = self.client.post(
            self.url, {"full_name": "A B", "kind": "parent", "username": "a b"}
        )
        self.assertContains(response, "small Latin letters")
        self.assertFalse(User.objects.filter(full_name="A B").exists())
