"""New writing on an old case is sealed to a key the people who left never held (issue 18, 4)."""

from __future__ import annotations

import contextlib

from trustbox.box.services import appeal_find_by_receipt
from trustbox.registry.consideration import appeal_note_add, appeal_reply
from trustbox.registry.keys import (
    appeal_keys,
    case_later_from_personal,
    personal_key_unlock,
    registry_unlock,
)
from trustbox.registry.models import (
    Appeal,
    CaseGrant,
    CaseKey,
    Entry,
    RegistryKey,
    RegistryKeyWrap,
)
from trustbox.registry.services import appeal_assign, appeal_file_read
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.writer import writer_message_add, writer_view
from trustbox.seal import crypto
from trustbox.seal.models import KeyShare
from trustbox.seal.services import member_key_set, member_key_unlock
from trustbox.test import PASSWORD, make_person

BEFORE = "SECRET-note written while she sat on the commission"
AFTER_NOTE = "SECRET-note written after the renewal"
AFTER_REPLY = "SECRET-reply written after the renewal"
AFTER_WRITER = "SECRET-the writer wrote back after the renewal"


def sealed_rows() -> list[bytes]:
    """Every sealed key of the database as a copy would hold it: wraps, grants, shares, keys."""
    rows: list[bytes] = []
    rows += [bytes(v) for v in RegistryKeyWrap.objects.values_list("sealed_private_key", flat=True)]
    rows += [bytes(v) for v in CaseGrant.objects.values_list("sealed_case_private", flat=True)]
    rows += [bytes(v) for v in CaseKey.objects.values_list("private_sealed", flat=True)]
    rows += [bytes(v) for v in KeyShare.objects.values_list("sealed_share", flat=True)]
    for sealed_for_box, previous in RegistryKey.objects.values_list(
        "sealed_for_box", "previous_private_sealed"
    ):
        rows += [bytes(v) for v in (sealed_for_box, previous) if v]
    rows += [
        bytes(v)
        for v in Appeal.objects.exclude(case_private_sealed=None).values_list(
            "case_private_sealed", flat=True
        )
    ]
    return rows


def keys_opened(personal: bytes, rows: list[bytes]) -> set[bytes]:
    """Every private key that opens, in turn, from a personal key and sealed rows."""
    keys, grew = {personal}, True
    while grew:
        grew = False
        for sealed in rows:
            for key in list(keys):
                with contextlib.suppress(crypto.SealError):
                    opened = crypto.open_with_box_key(key, sealed)
                    if len(opened) == 32 and opened not in keys:
                        keys.add(opened)
                        grew = True
    return keys


def opens(keys: set[bytes], sealed: bytes) -> bool:
    for key in keys:
        with contextlib.suppress(crypto.SealError):
            crypto.open_with_case_key(key, sealed)
            return True
    return False


class NewWritingOnAnOldCaseTestCase(RegistryTestCase):
    """members[3] leaves by a new order of 1 November; a renewal then rotates the registry key."""

    def setUp(self):
        super().setUp()
        self.leaver = self.members[3]
        self.newcomer = make_person(self.school, "newcomer")
        member_key_set(user=self.newcomer, password=PASSWORD, school=self.school)
        self.appeal = self.register(self.anonymous)
        self.register(self.signed)

    def write_after(self):
        appeal_note_add(appeal=self.appeal, by=self.members[1], text=AFTER_NOTE)
        appeal_reply(appeal=self.appeal, by=self.responsible, text=AFTER_REPLY, channel="receipt")
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        writer_message_add(found=found, text=AFTER_WRITER)

    def test_a_copy_from_before_and_her_password_open_nothing_written_after_the_renewal(self):
        appeal_note_add(appeal=self.appeal, by=self.members[1], text=BEFORE)
        copy_before = sealed_rows()  # the leaver's copy of the database, before the change
        self.new_order_and_renewal()
        self.write_after()

        her_keys = keys_opened(member_key_unlock(user=self.leaver, password=PASSWORD), copy_before)
        before, *after = Entry.objects.filter(appeal=self.appeal).order_by("id")
        # The copy does open what was written before (the case key of then) …
        self.assertTrue(opens(her_keys, bytes(before.sealed_for_case)))
        # … and nothing written after: note, reply and the writer's message.
        self.assertEqual([entry.kind for entry in after], ["note", "reply", "writer"])
        for entry in after:
            self.assertFalse(opens(her_keys, bytes(entry.sealed_for_case)), entry.kind)
        # Not with the rows of today's database either.
        her_keys_now = keys_opened(
            member_key_unlock(user=self.leaver, password=PASSWORD), copy_before + sealed_rows()
        )
        for entry in after:
            self.assertFalse(opens(her_keys_now, bytes(entry.sealed_for_case)), entry.kind)

        # One new case key for the appeal written to, made at its first entry after the
        # rotation; none for the appeal nobody wrote about.
        new_key = CaseKey.objects.get()
        self.assertEqual(new_key.appeal, self.appeal)
        self.assertEqual(new_key.registry_key, RegistryKey.objects.order_by("-id").first())
        self.assertEqual({entry.case_key_id for entry in after}, {new_key.pk})
        self.assertIsNone(before.case_key_id)

        # The commission in force, the newcomer too, reads what was written before and after.
        for reader in (self.members[1], self.newcomer):
            file = appeal_file_read(
                appeal=self.appeal,
                by=reader,
                purpose="view",
                registry_private=registry_unlock(
                    school=self.school, user=reader, password=PASSWORD
                ),
            )
            self.assertEqual(
                [text for _entry, text in file.entries],
                [BEFORE, AFTER_NOTE, AFTER_REPLY, AFTER_WRITER],
            )
        # The writer still reads the reply, and her own message, with her receipt.
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        self.assertEqual(
            [message.text for message in writer_view(found=found).messages],
            [AFTER_REPLY, AFTER_WRITER],
        )

    def test_an_official_outside_the_commission_reads_the_new_writing_of_her_appeal(self):
        teacher = self.teacher
        member_key_set(user=teacher, password=PASSWORD, school=self.school)
        appeal_assign(
            appeal=self.appeal,
            to=teacher,
            by=self.responsible,
            case_private=self.case_private(self.appeal),
        )
        appeal_note_add(appeal=self.appeal, by=teacher, text=BEFORE)
        self.new_order_and_renewal()
        self.write_after()

        def read(user):
            personal = personal_key_unlock(user=user, password=PASSWORD)
            keys = appeal_keys(appeal=self.appeal, user=user, personal=personal)
            file = appeal_file_read(
                appeal=self.appeal,
                by=user,
                purpose="view",
                registry_private=keys.registry_private,
                case_private=keys.case_private,
                later=keys.later,
            )
            return [text for _entry, text in file.entries]

        everything = [BEFORE, AFTER_NOTE, AFTER_REPLY, AFTER_WRITER]
        self.assertEqual(read(teacher), everything)
        # Handed on to another official, the newer key goes with it, and leaves the teacher.
        other = make_person(self.school, "other official")
        member_key_set(user=other, password=PASSWORD, school=self.school)
        personal = personal_key_unlock(user=self.responsible, password=PASSWORD)
        appeal_assign(
            appeal=self.appeal,
            to=other,
            by=self.responsible,
            case_private=self.case_private(self.appeal),
            later=case_later_from_personal(
                appeal=self.appeal, user=self.responsible, personal=personal
            ),
        )
        self.assertEqual(read(other), everything)
        self.assertFalse(CaseGrant.objects.filter(holder=teacher).exists())
        self.assertEqual(CaseGrant.objects.filter(holder=other).count(), 2)
        # Assigned to her again, she holds each key once.
        appeal_assign(
            appeal=self.appeal,
            to=other,
            by=self.responsible,
            case_private=self.case_private(self.appeal),
            later=case_later_from_personal(
                appeal=self.appeal, user=self.responsible, personal=personal
            ),
        )
        self.assertEqual(CaseGrant.objects.filter(holder=other).count(), 2)
        self.assertEqual(read(other), everything)
