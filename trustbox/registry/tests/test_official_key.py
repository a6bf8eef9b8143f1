"""Officials outside the commission set their own key and read what is assigned (point 12)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from trustbox.registry.keys import registry_unlock
from trustbox.registry.services import appeal_assign
from trustbox.registry.tests.helpers import ANONYMOUS_TEXT, SIGNED_TEXT, RegistryTestCase
from trustbox.seal.models import MemberKey
from trustbox.test import PASSWORD


class TeacherKeyTestCase(RegistryTestCase):
    def teacher_client(self) -> Client:
        client = self.login(self.teacher, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        return client

    def assign_to_teacher(self, appeal):
        return appeal_assign(
            appeal=appeal,
            to=self.teacher,
            by=self.responsible,
            case_private=self.case_private(appeal),
        )

    def test_a_teacher_sets_her_key_then_reads_the_appeal_assigned_to_her_and_nothing_else(self):
        assigned, other = self.register(self.anonymous), self.register(self.signed)
        with self.assertRaises(ValidationError) as caught:
            self.assign_to_teacher(assigned)
        self.assertIn("Digital seal", caught.exception.messages[0])

        client = self.teacher_client()
        page = client.get(reverse("seal:ceremony", args=[self.school.slug]))
        self.assertContains(page, "Set my personal key")
        key_url = reverse("seal:member_key", args=[self.school.slug])
        self.assertEqual(client.get(key_url).status_code, 200)
        self.assertRedirects(
            client.post(key_url, {"password": PASSWORD}),
            reverse("seal:ceremony", args=[self.school.slug]),
        )
        self.assertTrue(MemberKey.objects.filter(user=self.teacher).exists())

        self.assign_to_teacher(assigned)
        unlock = client.post(
            reverse("registry:unlock", args=[self.school.slug]), {"password": PASSWORD}
        )
        self.assertEqual(unlock.status_code, 302)
        listing = client.get(reverse("registry:list", args=[self.school.slug]))
        self.assertContains(listing, assigned.number)
        self.assertNotContains(listing, other.number)
        detail = client.get(reverse("registry:detail", args=[self.school.slug, assigned.pk]))
        self.assertContains(detail, ANONYMOUS_TEXT)
        self.assertNotContains(detail, SIGNED_TEXT)
        response = client.get(reverse("registry:detail", args=[self.school.slug, other.pk]))
        self.assertEqual(response.status_code, 404)
        with self.assertRaises(ValidationError):
            registry_unlock(school=self.school, user=self.teacher, password=PASSWORD)

    def test_a_teacher_who_forgot_her_password_makes_a_new_key_and_is_assigned_again(self):
        assigned = self.register(self.anonymous)
        client = self.teacher_client()
        client.post(reverse("seal:member_key", args=[self.school.slug]), {"password": PASSWORD})
        self.assign_to_teacher(assigned)
        unlock = reverse("registry:unlock", args=[self.school.slug])
        client.post(unlock, {"password": PASSWORD})
        detail = reverse("registry:detail", args=[self.school.slug, assigned.pk])
        self.assertContains(client.get(detail), ANONYMOUS_TEXT)

        reset_url = reverse("seal:member_key_reset", args=[self.school.slug])
        self.assertEqual(client.get(reset_url).status_code, 200)
        response = client.post(reset_url, {"password": PASSWORD}, follow=True)
        self.assertContains(response, "Ask the responsible person to assign your appeals")
        # The key her browser still holds is the old one: the appeal's key was sealed to it
        # and is gone with it.
        self.assertEqual(client.get(detail).status_code, 403)
        self.assertEqual(client.post(unlock, {"password": PASSWORD}).status_code, 403)

        self.assign_to_teacher(assigned)
        client.post(reverse("registry:unlock", args=[self.school.slug]), {"password": PASSWORD})
        self.assertContains(client.get(detail), ANONYMOUS_TEXT)
