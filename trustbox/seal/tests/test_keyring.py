"""One keyring per member: the personal key and the signing key move with the password together."""

from trustbox.accounts.services import password_record
from trustbox.audit.models import AuditEntry
from trustbox.seal import crypto
from trustbox.seal.actions import SealAction
from trustbox.seal.keyring import keyring_relock, signing_key_unlock
from trustbox.seal.models import MemberKey, SigningKey
from trustbox.seal.services import member_key_set
from trustbox.test import PASSWORD, BaseTestCase

NEW_PASSWORD = "a new long password 2026"


class KeyringTestCase(BaseTestCase):
    def setUp(self):
        self.member = self.members[0]
        member_key_set(user=self.member, password=PASSWORD, school=self.school)
        self.signing_public = signing_key_unlock(
            user=self.member, password=PASSWORD, school=self.school
        )[1]

    def opens(self, model, password):
        key = model.objects.get(
            user=self.member, **({} if model is MemberKey else {"retired_at": None})
        )
        try:
            crypto.unlock_with_password(bytes(key.locked_private_key), password)
        except crypto.SealError:
            return False
        return True

    def test_the_signing_key_is_made_once_in_the_seal_and_audited_there(self):
        again = signing_key_unlock(user=self.member, password=PASSWORD, school=self.school)[1]
        self.assertEqual(again, self.signing_public)
        self.assertEqual(SigningKey.objects.filter(user=self.member).count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action=SealAction.SIGNING_KEY_SET).count(), 1)

    def test_a_password_change_relocks_the_personal_and_the_signing_key_together(self):
        self.member.set_password(NEW_PASSWORD)
        self.member.save()
        self.assertTrue(
            password_record(user=self.member, old_password=PASSWORD, new_password=NEW_PASSWORD)
        )
        self.assertTrue(self.opens(MemberKey, NEW_PASSWORD))
        self.assertTrue(self.opens(SigningKey, NEW_PASSWORD))
        self.assertFalse(self.opens(SigningKey, PASSWORD))

    def test_a_key_the_old_password_does_not_open_fails_the_relock_but_the_other_still_moves(self):
        MemberKey.objects.filter(user=self.member).update(
            locked_private_key=crypto.lock_with_password(b"\0" * 32, "an earlier password 2025")
        )
        self.assertFalse(
            keyring_relock(user=self.member, old_password=PASSWORD, new_password=NEW_PASSWORD)
        )
        self.assertTrue(self.opens(SigningKey, NEW_PASSWORD))
