import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from trustbox.accounts.access import Role, roles_in
from trustbox.commission.models import Election, ElectionVote, Office
from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_elect
from trustbox.test import BaseTestCase


class ElectionTestCase(BaseTestCase):
    def elect(self, ballots):
        return commission_elect(
            commission=self.commission,
            by=self.responsible,
            held_on=datetime.date(2026, 9, 5),
            ballots=ballots,
        )

    def test_it_records_who_voted_for_whom_and_the_outcome(self):
        m1, m2, m3, m4, _parent = self.members
        ballots = [
            Ballot(voter=m1, chair=m2, secretary=m3),
            Ballot(voter=m2, chair=m2, secretary=m3),
            Ballot(voter=m3, chair=m2, secretary=m4),
            Ballot(voter=m4, chair=m1, secretary=m3),
        ]
        election = self.elect(ballots)
        self.commission.refresh_from_db()
        self.assertEqual(self.commission.chair, m2)
        self.assertEqual(self.commission.secretary, m3)
        self.assertEqual(election.votes.count(), 8)
        self.assertTrue(
            ElectionVote.objects.filter(
                election=election, office=Office.CHAIR, voter=m4, candidate=m1
            ).exists()
        )
        self.assertEqual(roles_in(m2, self.school), {Role.MEMBER, Role.CHAIR})
        self.assertEqual(roles_in(m3, self.school), {Role.MEMBER, Role.SECRETARY})

    def test_it_refuses_a_session_without_quorum(self):
        m1, m2, *_ = self.members
        with self.assertRaises(ValidationError) as caught:
            self.elect(
                [Ballot(voter=m1, chair=m1, secretary=m2), Ballot(voter=m2, chair=m1, secretary=m2)]
            )
        self.assertIn("quorum", caught.exception.messages[0])
        self.assertFalse(Election.objects.exists())

    def test_it_refuses_an_outcome_without_a_majority(self):
        m1, m2, m3, m4, _parent = self.members
        with self.assertRaises(ValidationError) as caught:
            self.elect(
                [
                    Ballot(voter=m1, chair=m1, secretary=m4),
                    Ballot(voter=m2, chair=m2, secretary=m4),
                    Ballot(voter=m3, chair=m3, secretary=m4),
                ]
            )
        self.assertIn("more than half", caught.exception.messages[0])

    def test_one_person_cannot_be_chair_and_secretary(self):
        m1, m2, m3, *_ = self.members
        with self.assertRaises(ValidationError):
            self.elect([Ballot(voter=v, chair=m1, secretary=m1) for v in (m1, m2, m3)])

    def test_only_members_vote_and_are_elected(self):
        m1, m2, m3, *_ = self.members
        with self.assertRaises(ValidationError):
            self.elect([Ballot(voter=v, chair=self.teacher, secretary=m2) for v in (m1, m2, m3)])
        with self.assertRaises(ValidationError):
            self.elect([Ballot(voter=v, chair=m1, secretary=m2) for v in (m1, m2, self.teacher)])

    def test_it_elects_only_once(self):
        m1, m2, m3, *_ = self.members
        self.elect([Ballot(voter=v, chair=m1, secretary=m2) for v in (m1, m2, m3)])
        with self.assertRaises(ValidationError):
            self.elect([Ballot(voter=v, chair=m3, secretary=m2) for v in (m1, m2, m3)])

    def test_a_member_records_the_vote_through_the_form_and_the_protocol_shows_it(self):
        m1, m2, m3, m4, parent = self.members
        self.login(m1)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        url = reverse("commission:elect", args=["alatoo", self.commission.pk])
        data = {"held_on": "2026-09-05"}
        for member in self.members:
            data[f"present_{member.pk}"] = "on" if member != parent else ""
            data[f"chair_{member.pk}"] = m2.pk if member != parent else ""
            data[f"secretary_{member.pk}"] = m3.pk if member != parent else ""
        response = self.client.post(url, data)
        self.assertRedirects(
            response, reverse("commission:detail", args=["alatoo", self.commission.pk])
        )
        response = self.client.get(
            reverse("commission:detail", args=["alatoo", self.commission.pk])
        )
        self.assertContains(response, "Protocol № 1")
        self.assertContains(response, f"Elected: chair {m2.full_name}, secretary {m3.full_name}.")
        self.assertContains(
            response, f"<td>Chair</td><td>{m4.full_name}</td><td>{m2.full_name}</td>", html=True
        )
        self.assertNotContains(response, f"<td>{parent.full_name}</td>", html=True)

    def test_the_form_keeps_the_votes_when_there_is_no_majority(self):
        m1, _m2, m3, m4, _parent = self.members
        self.login(m1)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        url = reverse("commission:elect", args=["alatoo", self.commission.pk])
        data = {"held_on": "2026-09-05"}
        for i, member in enumerate(self.members):
            data[f"present_{member.pk}"] = "on"
            data[f"chair_{member.pk}"] = self.members[i].pk
            data[f"secretary_{member.pk}"] = m4.pk
        response = self.client.post(url, data)
        self.assertContains(response, "No candidate for chair")
        self.assertContains(response, f'<option value="{m3.pk}" selected>')

    def test_a_teacher_outside_the_commission_cannot_record_the_vote(self):
        self.login(self.teacher)
        response = self.client.get(reverse("commission:elect", args=["alatoo", self.commission.pk]))
        self.assertEqual(response.status_code, 403)
