import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from trustbox.accounts.access import Role, roles_in
from trustbox.audit.models import AuditEntry
from trustbox.commission.models import Commission
from trustbox.commission.rules import order_problems
from trustbox.commission.services import commission_appoint
from trustbox.test import PASSWORD, BaseTestCase, make_person


class CommissionOrderTestCase(BaseTestCase):
    url = reverse("commission:appoint", args=["alatoo"])

    def appoint(self, **overrides):
        values = {
            "school": self.school,
            "by": self.director,
            "order_number": "15",
            "order_date": datetime.date(2026, 10, 1),
            "members": self.members,
            "parents_representative": self.parent,
            "responsible": self.responsible,
        }
        values.update(overrides)
        return commission_appoint(**values)

    def post_order(self, members, parent=None, responsible=None, language="en", confirm=True):
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
        data = {
            "order_number": "15",
            "order_date": "01.10.2026",
            "members": [m.pk for m in members],
            "parents_representative": (parent or self.parent).pk,
            "responsible": (responsible or self.responsible).pk,
        }
        if confirm:
            data["confirm"] = "1"
        return self.client.post(self.url, data)

    def test_it_refuses_an_even_number_of_members(self):
        with self.assertRaises(ValidationError) as caught:
            self.appoint(members=[*self.members[:3], self.parent])
        self.assertIn("members", caught.exception.message_dict)
        self.assertIn("odd", caught.exception.message_dict["members"][0])

    def test_the_form_explains_the_even_number_and_keeps_what_was_entered(self):
        response = self.post_order([*self.members[:3], self.parent])
        self.assertContains(response, "The number of members must be odd")
        self.assertContains(response, 'value="15"')
        self.assertContains(response, 'value="01.10.2026"')
        checked = re.findall(
            r'<input type="checkbox" name="members" value="(\d+)"[^>]*checked',
            response.content.decode(),
        )
        self.assertEqual(
            {int(pk) for pk in checked}, {m.pk for m in [*self.members[:3], self.parent]}
        )
        self.assertEqual(Commission.objects.for_school(self.school).count(), 1)

    def test_the_form_explains_in_kyrgyz_by_default(self):
        self.login(self.director)
        response = self.client.post(
            self.url,
            {
                "order_number": "15",
                "order_date": "2026-10-01",
                "members": [m.pk for m in self.members[:4]],
                "parents_representative": self.parent.pk,
                "responsible": self.responsible.pk,
            },
        )
        self.assertContains(response, "так сан болушу керек")

    def test_it_refuses_fewer_than_three_members(self):
        with self.assertRaises(ValidationError) as caught:
            self.appoint(members=[self.parent], responsible=self.parent)
        self.assertIn("at least three", caught.exception.message_dict["members"][0])

    def test_it_refuses_an_order_without_a_parents_representative(self):
        with self.assertRaises(ValidationError) as caught:
            self.appoint(members=self.members[:3], parents_representative=self.parent)
        self.assertIn("parents_representative", caught.exception.message_dict)
        response = self.post_order(
            [*self.members[:3], self.teacher, self.members[3]], parent=self.parent
        )
        self.assertContains(response, "representative of the parents")

    def test_it_refuses_a_mathematics_teacher_as_the_parents_representative(self):
        members = [*self.members[:3], self.teacher, self.parent]
        with self.assertRaises(ValidationError) as caught:
            self.appoint(members=members, parents_representative=self.teacher)
        self.assertIn(
            "must be a parent", caught.exception.message_dict["parents_representative"][0]
        )
        # The form offers only parents, and says why when another is sent.
        self.login(self.director)
        page = self.client.get(self.url).content.decode()
        options = re.search(r'<select name="parents_representative".*?</select>', page, re.S).group(
            0
        )
        self.assertIn(self.parent.full_name, options)
        self.assertNotIn(self.teacher.full_name, options)
        response = self.post_order(members, parent=self.teacher)
        self.assertContains(response, "must be a parent")
        self.assertEqual(Commission.objects.current(self.school), self.commission)

    def test_a_missing_representative_gets_the_clauses_reason(self):
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.post(
            self.url,
            {
                "order_number": "15",
                "order_date": "01.10.2026",
                "members": [m.pk for m in self.members],
                "responsible": self.responsible.pk,
            },
        )
        self.assertContains(response, "community (regulation, cl. 4.1): choose one of the members.")
        self.assertNotContains(response, "This field is required.")

    def test_a_new_order_is_confirmed_first_with_what_it_costs(self):
        from trustbox.seal.services import box_key_create, member_key_set

        for member in self.members:
            member_key_set(user=member, password=PASSWORD, school=self.school)
        box_key_create(school=self.school, by=self.members[0])
        new_people = [*self.members[:2], self.teacher, self.members[3], self.parent]
        response = self.post_order(new_people, confirm=False)
        self.assertContains(response, "Confirm the new order")
        self.assertContains(response, "replaces order № 7")
        # Who leaves, who joins, and who must gather to renew the box key.
        consequences = response.content.decode().split('id="consequences"')[1]
        self.assertIn("must be renewed", consequences)
        self.assertIn("3 of the people who hold a part of the current key", consequences)
        for member in self.members:
            self.assertIn(member.full_name, consequences)
        self.assertIn(
            f"sets a personal key on the page «Digital seal»: {self.teacher.full_name}",
            consequences,
        )
        self.assertContains(response, f"<strong>{self.members[2].full_name}</strong>")
        self.assertEqual(Commission.objects.current(self.school), self.commission)
        # Changing it brings the form back as it was filled.
        page = self.client.post(
            self.url, {**self.order_data(new_people), "change": "1"}
        ).content.decode()
        self.assertIn('value="01.10.2026"', page)
        self.assertIn('name="order_number" value="15"', page)
        self.assertEqual(Commission.objects.current(self.school), self.commission)
        # Confirmed, it replaces the commission in force.
        response = self.client.post(self.url, {**self.order_data(new_people), "confirm": "1"})
        commission = Commission.objects.current(self.school)
        self.assertRedirects(response, reverse("commission:detail", args=["alatoo", commission.pk]))
        self.assertEqual(set(commission.members.all()), set(new_people))

    def order_data(self, members):
        return {
            "order_number": "15",
            "order_date": "01.10.2026",
            "members": [m.pk for m in members],
            "parents_representative": self.parent.pk,
            "responsible": self.responsible.pk,
        }

    def test_it_refuses_a_responsible_person_who_is_not_a_member(self):
        with self.assertRaises(ValidationError) as caught:
            self.appoint(responsible=self.teacher)
        self.assertIn("responsible", caught.exception.message_dict)
        response = self.post_order(self.members, responsible=self.teacher)
        self.assertContains(
            response, "The responsible person is appointed from among the commission"
        )

    def test_it_refuses_a_member_from_another_school(self):
        outsider = make_person(self.other_school, "outsider")
        with self.assertRaises(ValidationError):
            self.appoint(members=[*self.members[:2], self.parent, outsider, self.teacher])

    def test_the_director_enters_an_order_through_the_form(self):
        new_people = [*self.members[:2], self.teacher, self.members[3], self.parent]
        response = self.post_order(new_people)
        commission = Commission.objects.current(self.school)
        self.assertRedirects(response, reverse("commission:detail", args=["alatoo", commission.pk]))
        self.assertEqual(commission.order_number, "15")
        self.assertEqual(set(commission.members.all()), set(new_people))

    def test_a_new_order_replaces_the_old_commission_and_the_history_stays(self):
        old = self.commission
        new = self.appoint(
            members=[self.members[1], self.teacher, self.parent], responsible=self.teacher
        )
        old.refresh_from_db()
        self.assertEqual(Commission.objects.current(self.school), new)
        self.assertFalse(old.in_force)
        self.assertEqual(old.replaced_by, new)
        self.assertEqual(old.members.count(), 5)
        self.assertNotIn(Role.MEMBER, roles_in(self.members[2], self.school))
        self.assertIn(Role.RESPONSIBLE, roles_in(self.teacher, self.school))
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get(reverse("commission:overview", args=["alatoo"]))
        self.assertContains(response, "Order № 7")
        response = self.client.get(reverse("commission:detail", args=["alatoo", old.pk]))
        self.assertEqual(response.status_code, 200)

    def test_it_refuses_the_same_order_twice(self):
        self.post_order(self.members)
        response = self.post_order(self.members)
        self.assertContains(response, "already entered")

    def test_each_order_writes_an_audit_entry(self):
        commission = self.appoint()
        entry = AuditEntry.objects.filter(action="commission.appoint").last()
        self.assertEqual(entry.target, f"commission.commission:{commission.pk}")
        self.assertEqual(entry.actor, self.director)
        self.assertEqual(entry.details["replaces"], self.commission.pk)


@given(
    size=st.integers(min_value=0, max_value=15),
    rep_in=st.booleans(),
    responsible_in=st.booleans(),
)
def test_order_problems_follow_the_regulation(size, rep_in, responsible_in):
    members = list(range(size))
    rep = members[0] if rep_in and members else "outsider"
    responsible = members[-1] if responsible_in and members else "outsider"
    problems = order_problems(members=members, parents_representative=rep, responsible=responsible)
    assert ("members" in problems) == (size < 3 or size % 2 == 0)
    assert ("parents_representative" in problems) == (rep == "outsider")
    assert ("responsible" in problems) == (responsible == "outsider")
