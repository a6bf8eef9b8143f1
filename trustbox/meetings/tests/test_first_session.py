import datetime

from trustbox.commission.models import Election
from trustbox.commission.services import commission_appoint
from trustbox.meetings.content import content_fingerprint
from trustbox.meetings.models import Meeting, Protocol
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.test import BaseTestCase, make_person


class FirstSessionTestCase(MeetingSteps, BaseTestCase):
    def test_the_first_sessions_open_vote_becomes_protocol_number_one(self):
        election = self.elect()
        protocol = Protocol.objects.get(school=self.school)
        self.assertEqual((protocol.year, protocol.number), (2026, 1))
        self.assertEqual(election.protocol_number, "1")
        meeting = protocol.meeting
        self.assertEqual(meeting.kind, Meeting.Kind.FIRST_SESSION)
        self.assertEqual(meeting.status, Meeting.Status.HELD)
        self.assertEqual(meeting.election, election)
        self.assertEqual(meeting.attendance.filter(present=True).count(), 5)
        content = protocol.content
        self.assertEqual(content["chair"], self.members[1].full_name)
        self.assertEqual(content["secretary"], self.members[2].full_name)
        self.assertEqual(len(content["votes"]), 5)
        self.assertEqual(
            content["votes"][0],
            {
                "voter": content["votes"][0]["voter"],
                "chair": self.members[1].full_name,
                "secretary": self.members[2].full_name,
            },
        )
        self.assertEqual(protocol.fingerprint, content_fingerprint(content))
        self.assertFalse(protocol.signatures.exists())

    def test_a_vote_after_other_protocols_of_the_year_takes_the_next_number(self):
        self.elect()
        newcomer = make_person(self.school, "newcomer")
        members = [*self.members[:3], self.parent, newcomer]
        commission = commission_appoint(
            school=self.school,
            by=self.director,
            order_number="30",
            order_date=datetime.date(2026, 11, 2),
            members=members,
            parents_representative=self.parent,
            responsible=self.responsible,
        )
        election = self.elect(commission, members, held_on=datetime.date(2026, 11, 4))
        self.assertEqual(election.protocol_number, "2")
        self.assertEqual(Election.objects.get(pk=election.pk).protocol_number, "2")
        self.assertEqual(
            list(Protocol.objects.filter(school=self.school).values_list("number", flat=True)),
            [2, 1],
        )

    def test_the_commission_page_names_the_protocol_of_the_vote(self):
        self.login(self.members[0])
        response = self.client.post(
            f"/s/alatoo/commission/{self.commission.pk}/election/",
            {
                "held_on": "2026-09-05",
                **{f"present_{m.pk}": "on" for m in self.members},
                **{f"chair_{m.pk}": self.members[1].pk for m in self.members},
                **{f"secretary_{m.pk}": self.members[2].pk for m in self.members},
            },
            follow=True,
        )
        self.assertContains(response, "The vote is recorded in protocol № 1.")
        self.assertEqual(Protocol.objects.filter(school=self.school).count(), 1)

    def test_elections_recorded_before_meetings_existed_become_protocols_by_the_migration(self):
        import importlib

        from django.apps import apps

        self.elect()
        Protocol.objects.all().delete()
        Meeting.objects.all().delete()
        migration = importlib.import_module("trustbox.meetings.migrations.0002_first_sessions")
        migration.first_sessions_keep(apps, None)
        protocol = Protocol.objects.get(school=self.school)
        self.assertEqual(protocol.number, 1)
        self.assertEqual(protocol.meeting.kind, Meeting.Kind.FIRST_SESSION)
        self.assertEqual(protocol.content["chair"], self.members[1].full_name)
        self.assertEqual(protocol.fingerprint, content_fingerprint(protocol.content))
