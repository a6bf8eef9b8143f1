import datetime
import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from trustbox.meetings.models import Meeting, Protocol, Signature
from trustbox.meetings.services import AgendaEntry, meeting_schedule
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.meetings.tests.test_protocols import photo_with_location
from trustbox.test import PASSWORD, BaseTestCase


class MeetingPagesTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()
        cls.chair, cls.secretary = cls.members[1], cls.members[2]

    def test_the_secretary_schedules_records_and_drafts_through_the_pages(self):
        client = self.login(self.secretary)
        today = timezone.localdate()
        response = client.post(
            reverse("meetings:schedule", args=["alatoo"]),
            {
                "held_on": today.isoformat(),
                "starts_at": "15:00",
                "place": "room 12",
                "items": "The poster\nThe plan for the half-year\n",
            },
        )
        meeting = Meeting.objects.get(kind=Meeting.Kind.REGULAR)
        self.assertRedirects(response, reverse("meetings:detail", args=["alatoo", meeting.pk]))
        self.assertEqual(list(meeting.agenda.values_list("title", flat=True)), ["", ""])
        self.assertEqual(
            [self.opened(item.sealed_title) for item in meeting.agenda.all()],
            ["The poster", "The plan for the half-year"],
        )
        response = client.post(
            reverse("meetings:attendance", args=["alatoo", meeting.pk]),
            {"attendance-present": [m.pk for m in self.members[:4]]},
        )
        self.assertEqual(response.status_code, 302)
        response = client.post(
            reverse("meetings:decision", args=["alatoo", meeting.pk]),
            {
                "decision-item": meeting.agenda.first().pk,
                "decision-text": "Hang the poster.",
                "decision-votes_for": "4",
                "decision-votes_against": "0",
                "decision-votes_abstained": "0",
            },
        )
        self.assertEqual(response.status_code, 302)
        response = client.post(
            reverse("meetings:draft", args=["alatoo", meeting.pk]),
            {"draft-text": "The responsible person reported."},
        )
        protocol = Protocol.objects.get(meeting=meeting)
        self.assertRedirects(response, reverse("meetings:protocol", args=["alatoo", protocol.pk]))
        page = client.get(response.url)
        self.assertContains(page, "Protocol № 2 of the meeting of the Trust Box commission")
        self.assertNotContains(page, "Hang the poster.")
        self.assertContains(page, "What the meeting discussed and decided is sealed")
        page = self.unlock(self.secretary, client).get(response.url)
        self.assertContains(page, "Hang the poster. Vote: for 4, against 0, abstained 0. Adopted.")
        self.assertContains(page, "0 of 5 members have signed.")
        self.assertContains(page, protocol.verify_code_display)

    def test_a_vote_without_quorum_comes_back_with_the_reason_and_the_text(self):
        meeting = self.hold(present=self.members[:2], decision="")
        client = self.login(self.secretary)
        response = client.post(
            reverse("meetings:decision", args=["alatoo", meeting.pk]),
            {
                "decision-text": "Hang the poster.",
                "decision-votes_for": "2",
                "decision-votes_against": "0",
                "decision-votes_abstained": "0",
            },
        )
        self.assertContains(response, "There is no quorum", status_code=400)
        self.assertContains(response, "Hang the poster.", status_code=400)

    def test_a_member_who_is_not_chair_or_secretary_cannot_schedule(self):
        client = self.login(self.members[3])
        self.assertEqual(client.get(reverse("meetings:schedule", args=["alatoo"])).status_code, 403)
        self.assertEqual(client.get(reverse("meetings:list", args=["alatoo"])).status_code, 200)

    def test_a_teacher_outside_the_commission_sees_no_meeting(self):
        client = self.login(self.teacher)
        self.assertEqual(client.get(reverse("meetings:list", args=["alatoo"])).status_code, 403)
        protocol = Protocol.objects.get(school=self.school)
        url = reverse("meetings:protocol", args=["alatoo", protocol.pk])
        self.assertEqual(client.get(url).status_code, 403)

    def test_another_schools_protocol_is_not_found(self):
        protocol = Protocol.objects.get(school=self.school)
        client = self.login(self.other_director)
        url = reverse("meetings:protocol", args=["other", protocol.pk])
        self.assertEqual(client.get(url).status_code, 404)

    def test_a_member_signs_on_the_protocols_page_with_their_password(self):
        protocol = self.drafted()
        client = self.login(self.members[3])
        url = reverse("meetings:sign", args=["alatoo", protocol.pk])
        response = client.post(url, {"password": "not it"})
        self.assertContains(response, "This is not your password.", status_code=400)
        response = client.post(url, {"password": PASSWORD}, follow=True)
        self.assertContains(response, "You have signed the protocol.")
        self.assertContains(response, "1 of 5 members have signed.")
        self.assertTrue(
            Signature.objects.filter(protocol=protocol, member=self.members[3]).exists()
        )

    def test_the_secretary_attaches_the_page_a_member_signed_on_paper(self):
        protocol = self.drafted()
        client = self.login(self.secretary)
        response = client.post(
            reverse("meetings:scan", args=["alatoo", protocol.pk]),
            {
                "scan-member": self.parent.pk,
                "scan-page": SimpleUploadedFile("page.jpg", photo_with_location(), "image/jpeg"),
            },
            follow=True,
        )
        self.assertContains(response, "The signed sheet is attached")
        signature = Signature.objects.get(protocol=protocol, member=self.parent)
        self.unlock(self.secretary, client)
        download = client.get(
            reverse("meetings:scan_file", args=["alatoo", protocol.pk, signature.pk])
        )
        self.assertEqual(download["Content-Type"], "image/jpeg")
        self.assertEqual(download.content, bytes(signature.scan.data))

    def test_the_dashboard_names_the_missing_signature_and_the_next_meeting(self):
        protocol = self.drafted()
        for member in self.members[:4]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        meeting_schedule(
            school=self.school,
            by=self.chair,
            held_on=timezone.localdate() + datetime.timedelta(days=7),
            starts_at=datetime.time(15, 0),
            place="room 12",
            agenda_entries=[AgendaEntry(title="Opening the box")],
        )
        response = self.login(self.director).get(reverse("core:dashboard", args=["alatoo"]))
        self.assertContains(response, f"Protocol № {protocol.number}: one signature is missing.")
        self.assertContains(response, self.parent.full_name)
        self.assertContains(response, "Next meeting:")
        self.assertContains(response, "room 12")


class ProtocolDocumentsTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def text_of(self, pdf: bytes) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()

    def test_the_protocol_prints_with_the_signers_the_dates_and_the_code(self):
        protocol = self.drafted()
        for member in self.members[:4]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        client = self.unlock(self.members[0])
        for language, date_words in (("ky", "-жылдын"), ("ru", " г.")):
            with self.subTest(language):
                response = client.get(
                    reverse("meetings:document", args=["alatoo", protocol.pk, language, "pdf"])
                )
                self.assertEqual(response["Content-Type"], "application/pdf")
                text = " ".join(self.text_of(response.content).split())
                self.assertIn(date_words, text)
                for member in self.members:
                    self.assertIn(member.full_name, text)
                self.assertIn(protocol.verify_code_display, text)
                self.assertIn("Hang the poster in every classroom.", text)
        response = client.get(
            reverse("meetings:document", args=["alatoo", protocol.pk, "ru", "docx"])
        )
        self.assertTrue(response.content.startswith(b"PK"))

    def test_the_first_sessions_protocol_prints_the_open_vote(self):
        protocol = Protocol.objects.get(number=1)
        client = self.login(self.members[0])
        response = client.get(
            reverse("meetings:document", args=["alatoo", protocol.pk, "en", "pdf"])
        )
        text = " ".join(self.text_of(response.content).split())
        self.assertIn("Protocol № 1 of the first session of the Trust Box commission", text)
        self.assertIn(f"Elected by open vote: chair {self.members[1].full_name}", text)


class VerifyPageTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def test_anyone_sees_who_signed_and_that_the_content_is_unchanged_but_nothing_of_it(self):
        protocol = self.drafted(decision="Refer appeal 2026/007 to the psychologist.")
        protocol_sign(protocol=protocol, member=self.members[0], password=PASSWORD)
        response = self.client.get(reverse("verify:protocol", args=[protocol.verify_code_display]))
        self.assertContains(response, "School alatoo")
        self.assertContains(response, f"Protocol № {protocol.number} of 2026")
        self.assertContains(response, protocol.fingerprint)
        self.assertContains(response, self.members[0].full_name)
        self.assertContains(response, "1 of 5 members of the commission have signed.")
        self.assertContains(response, "The content is unchanged since it was signed")
        page = response.content.decode()
        for secret in (
            "2026/007",
            "psychologist",
            "Discussion as minuted",
            "The poster in the foyer",
            "room 12",
            self.members[3].full_name,
        ):
            self.assertNotIn(secret, page)

    def test_the_verify_page_says_when_the_content_was_changed(self):
        protocol = self.drafted()
        protocol_sign(protocol=protocol, member=self.members[0], password=PASSWORD)
        Protocol.objects.filter(pk=protocol.pk).update(
            content={**protocol.content, "text": "Rewritten afterwards."}
        )
        response = self.client.get(reverse("verify:protocol", args=[protocol.verify_code]))
        self.assertContains(response, "was changed after it was signed")

    def test_a_code_is_typed_loosely_and_a_wrong_one_tells_nothing(self):
        protocol = self.drafted()
        typed = protocol.verify_code_display.lower().replace("-", " ").replace("0", "o")
        response = self.client.get(reverse("verify:index"), {"code": typed})
        self.assertRedirects(
            response, reverse("verify:protocol", args=[protocol.verify_code_display])
        )
        response = self.client.get(reverse("verify:protocol", args=["ABCD-EFGH-JKMN-PQRS"]))
        self.assertContains(response, "No protocol has this code", status_code=404)

    def test_verification_codes_are_random_eighty_bit_strings(self):
        from trustbox.seal import crypto

        codes = {crypto.verification_code_generate() for _ in range(200)}
        self.assertEqual(len(codes), 200)
        for code in codes:
            self.assertEqual(len(code), 16)
            self.assertEqual(crypto.verification_code_normalise(code), code)
