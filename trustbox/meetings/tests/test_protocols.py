import base64
import datetime
import io

from django.core.exceptions import ValidationError
from PIL import Image

from trustbox.accounts.services import password_record
from trustbox.commission.services import commission_appoint
from trustbox.meetings.content import content_fingerprint, content_message
from trustbox.meetings.models import Protocol, Signature
from trustbox.meetings.protocols import protocol_correct, protocol_draft
from trustbox.meetings.sealing import sealed_to
from trustbox.meetings.selectors import protocol_check
from trustbox.meetings.services import (
    AgendaEntry,
    meeting_agenda_add,
    meeting_attendance_record,
    meeting_decision_record,
)
from trustbox.meetings.signing import protocol_scan_attach, protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.seal import crypto
from trustbox.seal.models import SigningKey
from trustbox.test import PASSWORD, BaseTestCase, make_person


def photo_with_location() -> bytes:
    """A JPEG whose EXIF holds a GPS position, as a phone would save it."""
    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (42.0, 52.0, 0.0), 3: "E", 4: (74.0, 36.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


class SigningTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def sign_all(self, protocol):
        for member in self.members:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)

    def test_every_members_signature_verifies_and_completes_the_protocol(self):
        protocol = self.drafted()
        self.assertEqual(protocol.number, 2)
        for member in self.members[:4]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        check = protocol_check(protocol)
        self.assertEqual([m.member for m in check.missing], [self.parent])
        self.assertTrue(check.unchanged)
        self.assertFalse(check.complete)
        protocol_sign(protocol=protocol, member=self.parent, password=PASSWORD)
        protocol.refresh_from_db()
        self.assertIsNotNone(protocol.completed_at)
        check = protocol_check(protocol)
        self.assertTrue(check.complete and check.unchanged)
        for item in check.checks:
            self.assertTrue(
                crypto.signature_verify(
                    bytes(item.signature.public_key),
                    content_message(protocol.content),
                    bytes(item.signature.value),
                )
            )

    def test_any_change_of_a_signed_protocols_content_breaks_every_signature(self):
        protocol = self.drafted()
        self.sign_all(protocol)
        public = base64.b64decode(protocol.content["text"]["to"])
        changes = {
            # The same words sealed again to the same key are other bytes: the signatures cover
            # the sealed text, so that whoever can seal to the public key cannot swap it.
            "text": lambda c: {**c, "text": sealed_to(public, self.opened(c["text"]))},
            "decision": lambda c: {
                **c,
                "decisions": [{**c["decisions"][0], "text": sealed_to(public, "Something else")}],
            },
            "place": lambda c: {**c, "place": "room 13"},
            "date": lambda c: {**c, "date": "2026-01-01"},
            "votes": lambda c: {
                **c,
                "decisions": [{**c["decisions"][0], "against": 1}],
            },
            "attendance": lambda c: {
                **c,
                "members": [{**row, "present": True} for row in c["members"]],
            },
            "agenda": lambda c: {**c, "agenda": [{**c["agenda"][0], "title": "Something else"}]},
        }
        original = protocol.content
        for name, change in changes.items():
            with self.subTest(name):
                Protocol.objects.filter(pk=protocol.pk).update(content=change(original))
                protocol.refresh_from_db()
                check = protocol_check(protocol)
                self.assertFalse(check.unchanged)
                self.assertFalse(any(item.valid for item in check.checks))
                # Writing a fingerprint to match does not help: the signatures are over the content.
                Protocol.objects.filter(pk=protocol.pk).update(
                    fingerprint=content_fingerprint(protocol.content)
                )
                protocol.refresh_from_db()
                self.assertFalse(protocol_check(protocol).unchanged)
                Protocol.objects.filter(pk=protocol.pk).update(
                    content=original, fingerprint=content_fingerprint(original)
                )

    def test_the_content_as_restored_verifies_again(self):
        protocol = self.drafted()
        self.sign_all(protocol)
        original = protocol.content
        Protocol.objects.filter(pk=protocol.pk).update(content={**original, "text": "forged"})
        protocol.refresh_from_db()
        self.assertFalse(protocol_check(protocol).unchanged)
        Protocol.objects.filter(pk=protocol.pk).update(content=original)
        protocol.refresh_from_db()
        self.assertTrue(protocol_check(protocol).unchanged)

    def test_a_signed_protocol_and_its_meeting_cannot_change(self):
        protocol = self.drafted()
        protocol_sign(protocol=protocol, member=self.members[0], password=PASSWORD)
        meeting = protocol.meeting
        secretary = self.members[2]
        attempts = {
            "draft": lambda: protocol_draft(meeting=meeting, by=secretary, text="rewritten"),
            "attendance": lambda: meeting_attendance_record(
                meeting=meeting, by=secretary, present=self.members
            ),
            "decision": lambda: meeting_decision_record(
                meeting=meeting,
                by=secretary,
                text="Another",
                votes_for=4,
                votes_against=0,
                votes_abstained=0,
            ),
            "agenda": lambda: meeting_agenda_add(
                meeting=meeting, by=secretary, entry=AgendaEntry(title="Late item")
            ),
        }
        before = protocol.content
        for name, attempt in attempts.items():
            with self.subTest(name), self.assertRaises(ValidationError):
                attempt()
        protocol.refresh_from_db()
        self.assertEqual(protocol.content, before)

    def test_an_unsigned_draft_follows_the_meeting(self):
        protocol = self.drafted()
        meeting_decision_record(
            meeting=protocol.meeting,
            by=self.members[2],
            text="Meet again in December.",
            votes_for=3,
            votes_against=1,
            votes_abstained=0,
        )
        protocol.refresh_from_db()
        self.assertEqual(
            [self.opened(d["text"]) for d in protocol.content["decisions"]],
            ["Hang the poster in every classroom.", "Meet again in December."],
        )
        self.assertTrue(protocol_check(protocol).unchanged)

    def test_a_correction_is_a_new_protocol_linked_to_the_signed_one(self):
        protocol = self.drafted()
        self.sign_all(protocol)
        correction = protocol_correct(
            protocol=protocol,
            by=self.members[2],
            text="Discussion as minuted, with the psychologist's remark.",
            reason="The psychologist's remark was left out.",
        )
        self.assertEqual(correction.number, protocol.number + 1)
        self.assertEqual(correction.corrects, protocol)
        self.assertEqual(
            correction.content["corrects"],
            {"year": 2026, "number": protocol.number, "fingerprint": protocol.fingerprint},
        )
        self.assertEqual(
            self.opened(correction.content["correction"]),
            "The psychologist's remark was left out.",
        )
        self.assertFalse(correction.signatures.exists())
        # The signed protocol stays as it was, and verifies.
        protocol.refresh_from_db()
        self.assertTrue(protocol_check(protocol).unchanged)
        with self.assertRaisesMessage(ValidationError, "already corrected"):
            protocol_correct(protocol=protocol, by=self.members[2], text="", reason="again")
        self.sign_all(correction)
        correction.refresh_from_db()
        self.assertIsNotNone(correction.completed_at)

    def test_nobody_signs_a_protocol_twice_or_a_corrected_one(self):
        protocol = self.drafted()
        protocol_sign(protocol=protocol, member=self.members[0], password=PASSWORD)
        with self.assertRaisesMessage(ValidationError, "already signed"):
            protocol_sign(protocol=protocol, member=self.members[0], password=PASSWORD)
        protocol_correct(protocol=protocol, by=self.members[2], text="", reason="typo")
        with self.assertRaisesMessage(ValidationError, "sign that one"):
            protocol_sign(protocol=protocol, member=self.members[1], password=PASSWORD)

    def test_a_member_who_left_the_commission_cannot_sign(self):
        protocol = self.drafted()
        leaver = self.members[3]
        newcomer = make_person(self.school, "newcomer")
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="31",
            order_date=datetime.date(2026, 11, 20),
            members=[*self.members[:3], self.parent, newcomer],
            parents_representative=self.parent,
            responsible=self.responsible,
        )
        with self.assertRaisesMessage(ValidationError, "has left the commission"):
            protocol_sign(protocol=protocol, member=leaver, password=PASSWORD)
        with self.assertRaisesMessage(ValidationError, "has left the commission"):
            protocol_scan_attach(
                protocol=protocol,
                member=leaver,
                by=leaver,
                name="page.jpg",
                data=photo_with_location(),
            )
        # The newcomer was not on the commission that met: not theirs to sign.
        with self.assertRaisesMessage(ValidationError, "commission that held the meeting"):
            protocol_sign(protocol=protocol, member=newcomer, password=PASSWORD)
        protocol_sign(protocol=protocol, member=self.members[0], password=PASSWORD)
        missing = {m.member: m.can_sign for m in protocol_check(protocol).missing}
        self.assertFalse(missing[leaver])
        self.assertTrue(missing[self.parent])
        self.assertTrue(protocol_check(protocol).blocked)

    def test_a_wrong_password_signs_nothing_and_makes_no_key(self):
        protocol = self.drafted()
        with self.assertRaisesMessage(ValidationError, "not your password"):
            protocol_sign(protocol=protocol, member=self.members[0], password="wrong password")
        self.assertFalse(Signature.objects.exists())
        self.assertFalse(SigningKey.objects.exists())

    def test_the_signing_key_is_made_at_the_first_signature_locked_under_the_password(self):
        protocol = self.drafted()
        member = self.members[0]
        signature = protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        key = SigningKey.objects.get(user=member)
        self.assertEqual(bytes(key.public_key), bytes(signature.public_key))
        private = crypto.unlock_with_password(bytes(key.locked_private_key), PASSWORD)
        self.assertEqual(crypto.signing_public_from_private(private), bytes(key.public_key))
        self.assertNotIn(private, bytes(key.locked_private_key))
        # The next signature uses the same key.
        second = self.drafted()
        again = protocol_sign(protocol=second, member=member, password=PASSWORD)
        self.assertEqual(bytes(again.public_key), bytes(key.public_key))
        self.assertEqual(SigningKey.objects.filter(user=member).count(), 1)

    def test_the_signing_key_follows_a_password_change(self):
        member = self.members[0]
        protocol_sign(protocol=self.drafted(), member=member, password=PASSWORD)
        public = bytes(SigningKey.objects.get(user=member).public_key)
        new_password = "a new long password 2026"
        member.set_password(new_password)
        member.save()
        self.assertTrue(
            password_record(user=member, old_password=PASSWORD, new_password=new_password)
        )
        key = SigningKey.objects.get(user=member)
        crypto.unlock_with_password(bytes(key.locked_private_key), new_password)
        signature = protocol_sign(protocol=self.drafted(), member=member, password=new_password)
        self.assertEqual(bytes(signature.public_key), public)

    def test_a_key_locked_under_a_reset_password_is_replaced_and_earlier_signatures_hold(self):
        member = self.members[0]
        first = self.drafted()
        self.sign_all(first)
        # The operator resets a forgotten password (changepassword): the key is still locked
        # under the old one, which nobody remembers.
        reset = "a reset password 2026"
        member.set_password(reset)
        member.save()
        # Changing the reset password later cannot move the key along: the receiver says so.
        self.assertFalse(password_record(user=member, old_password=reset, new_password="x" * 12))
        signature = protocol_sign(protocol=self.drafted(), member=member, password=reset)
        keys = list(SigningKey.objects.filter(user=member).order_by("id"))
        self.assertEqual(len(keys), 2)
        self.assertIsNotNone(keys[0].retired_at)
        self.assertEqual(bytes(keys[0].locked_private_key), b"")
        self.assertEqual(bytes(signature.public_key), bytes(keys[1].public_key))
        self.assertTrue(protocol_check(first).unchanged)

    def test_a_scan_of_the_signed_page_counts_and_keeps_no_location(self):
        protocol = self.drafted()
        for member in self.members[:4]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        signature = protocol_scan_attach(
            protocol=protocol,
            member=self.parent,
            by=self.members[2],
            name="IMG_2041.jpg",
            data=photo_with_location(),
        )
        self.assertEqual(signature.method, Signature.Method.PAPER)
        scan = signature.scan
        with Image.open(io.BytesIO(bytes(scan.data))) as image:
            self.assertEqual(dict(image.getexif()), {})
        self.assertNotIn(b"PhoneMaker", bytes(scan.data))
        protocol.refresh_from_db()
        self.assertIsNotNone(protocol.completed_at)
        self.assertTrue(protocol_check(protocol).complete)

    def test_only_the_secretary_or_the_chair_attach_a_page_for_another(self):
        protocol = self.drafted()
        with self.assertRaisesMessage(ValidationError, "Only the secretary or the chair"):
            protocol_scan_attach(
                protocol=protocol,
                member=self.parent,
                by=self.members[3],
                name="page.jpg",
                data=photo_with_location(),
            )

    def test_a_file_that_is_not_a_picture_or_a_pdf_is_refused(self):
        protocol = self.drafted()
        with self.assertRaises(ValidationError):
            protocol_scan_attach(
                protocol=protocol,
                member=self.parent,
                by=self.parent,
                name="page.txt",
                data=b"not a picture",
            )
        self.assertFalse(Signature.objects.exists())
