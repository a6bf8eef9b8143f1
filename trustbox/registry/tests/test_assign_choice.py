"""Assigning an appeal starts from nobody chosen (issue 21, point 5)."""

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.commission.forms import OrderForm
from trustbox.registry.models import Appeal
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.test import PASSWORD

EMPTY = "— choose a person —"


class AssignChoiceTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        self.register(self.anonymous)
        self.client = self.login(self.responsible, Client())
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.client.post(reverse("registry:unlock", args=["alatoo"]), {"password": PASSWORD})
        self.detail = reverse("registry:detail", args=["alatoo", self.anonymous.pk])

    def assign_select(self, page: str) -> str:
        return re.search(r'<select name="assign-assignee".*?</select>', page, re.S).group(0)

    def test_the_assign_list_starts_with_an_empty_choice_that_is_selected(self):
        select = self.assign_select(self.client.get(self.detail).content.decode())
        options = re.findall(r"<option[^>]*>[^<]*</option>", select)
        self.assertEqual(options[0], f'<option value="" selected>{EMPTY}</option>')
        self.assertEqual(sum(" selected" in option for option in options), 1)
        self.assertContains(self.client.get(self.detail), "Who considers this appeal")

    def test_assigning_without_a_choice_says_so_and_assigns_nobody(self):
        response = self.client.post(self.detail, {"action": "assign", "assign-assignee": ""})
        self.assertContains(
            response, "Choose the person who considers this appeal.", status_code=400
        )
        self.assertIsNone(Appeal.objects.get(pk=self.anonymous.pk).assignee)
        self.assertFalse(AuditEntry.objects.filter(action="appeal.assign").exists())

    def test_an_assigned_appeal_shows_its_person_chosen(self):
        response = self.client.post(
            self.detail, {"action": "assign", "assign-assignee": self.members[2].pk}
        )
        self.assertRedirects(response, self.detail)
        select = self.assign_select(self.client.get(self.detail).content.decode())
        chosen = re.findall(r"<option[^>]* selected>([^<]*)</option>", select)
        self.assertEqual(chosen, [self.members[2].full_name])

    def test_the_order_names_no_representative_or_responsible_person_until_chosen(self):
        form = OrderForm(school=self.school)
        for name in ("parents_representative", "responsible"):
            html = str(form[name])
            self.assertIn(f'<option value="" selected>{EMPTY}</option>', html)
