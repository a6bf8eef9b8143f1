from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, KeyShare, MemberKey
from trustbox.seal.services import box_key_create, member_key_set, share_unlock
from trustbox.test import PASSWORD, BaseTestCase, SealedBoxTestCase


def every_stored_value() -> bytes:
    """Every value of every row of every table, as bytes, to search for secrets."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        found.append(bytes(value))
                    elif value is not None:
                        found.append(str(value).encode())
    return b"\n".join(found)


class KeyCeremonyTestCase(BaseTestCase):
    def set_keys(self, members):
        for member in members:
            member_key_set(user=member, password=PASSWORD, school=self.school)

    def test_a_member_sets_a_key_only_with_their_own_password(self):
        with self.assertRaises(ValidationError):
            member_key_set(user=self.responsible, password="wrong", school=self.school)
        key = member_key_set(user=self.responsible, password=PASSWORD, school=self.school)
        self.assertEqual(len(bytes(key.public_key)), 32)
        private = crypto.unlock_with_password(bytes(key.locked_private_key), PASSWORD)
        self.assertEqual(crypto.box_public_from_private(private), bytes(key.public_key))

    def test_the_box_key_waits_for_every_member(self):
        self.set_keys(self.members[:4])
        with self.assertRaises(ValidationError):
            box_key_create(school=self.school, by=self.responsible)
        self.assertFalse(BoxKey.objects.exists())

    def test_the_box_key_is_split_for_a_majority_with_two_reserve_parts(self):
        self.set_keys(self.members)
        box_key, reserve = box_key_create(school=self.school, by=self.responsible)
        self.assertEqual(
            (box_key.threshold, box_key.member_shares, box_key.reserve_shares), (3, 5, 2)
        )
        self.assertEqual(len(reserve), 2)
        self.assertEqual(KeyShare.objects.filter(box_key=box_key).count(), 5)
        shares = [share_unlock(box_key=box_key, user=m, password=PASSWORD) for m in self.members]
        private = crypto.combine_box_key(shares[:3])
        self.assertEqual(crypto.box_public_from_private(private), bytes(box_key.public_key))
        self.assertEqual(crypto.combine_box_key([shares[0], *reserve]), private)

        stored = every_stored_value()
        self.assertNotIn(private, stored)
        self.assertNotIn(private.hex().encode(), stored)
        for share in shares + reserve:
            self.assertNotIn(share.encode(), stored)
            self.assertNotIn(" ".join(share.split()[:6]).encode(), stored)

    def test_a_member_cannot_open_another_members_share(self):
        self.set_keys(self.members)
        box_key, _ = box_key_create(school=self.school, by=self.responsible)
        share = KeyShare.objects.get(box_key=box_key, holder=self.members[1])
        private = crypto.unlock_with_password(
            bytes(MemberKey.objects.get(user=self.members[0]).locked_private_key), PASSWORD
        )
        with self.assertRaises(crypto.SealError):
            crypto.open_with_member_key(private, bytes(share.sealed_share))

    def test_the_box_key_is_made_once_per_commission(self):
        self.set_keys(self.members)
        box_key_create(school=self.school, by=self.responsible)
        with self.assertRaises(ValidationError):
            box_key_create(school=self.school, by=self.responsible)

    def test_the_ceremony_page_says_in_plain_kyrgyz_that_nobody_opens_the_box_alone(self):
        self.login(self.teacher)
        response = self.client.get(reverse("seal:ceremony", args=["alatoo"]))
        self.assertContains(response, "Эч ким")
        self.assertContains(response, "оператор")

    def test_the_reserve_parts_the_settings_ask_for_are_counted_in_russian_plural(self):
        self.login(self.teacher)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ru"})
        with self.settings(RESERVE_SHARES=3):
            response = self.client.get(reverse("seal:ceremony", args=["alatoo"]))
        self.assertContains(response, "В настройках указаны 3 резервные части")

    def test_members_set_their_keys_and_make_the_box_key_through_the_pages(self):
        for member in self.members:
            self.login(member)
            response = self.client.post(
                reverse("seal:member_key", args=["alatoo"]), {"password": PASSWORD}
            )
            self.assertRedirects(response, reverse("seal:ceremony", args=["alatoo"]))
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.post(reverse("seal:box_key", args=["alatoo"]))
        self.assertContains(response, "Reserve part № 1")
        self.assertContains(response, "Reserve part № 2")
        self.assertContains(response, "data:image/svg+xml")
        self.assertIn("no-store", response["Cache-Control"])
        words = response.context["shares"][0]["words"]
        self.assertEqual(len(words), 33)
        response = self.client.get(reverse("seal:ceremony", args=["alatoo"]))
        self.assertContains(response, "any 3 of the 5 members open it together")
        self.assertNotContains(response, words[3] + "</li>")

    def test_only_members_make_the_box_key(self):
        self.set_keys(self.members)
        for user in (self.director, self.teacher):
            self.login(user)
            response = self.client.post(reverse("seal:box_key", args=["alatoo"]))
            self.assertEqual(response.status_code, 403)
        self.assertFalse(BoxKey.objects.exists())


class PasswordChangeKeepsTheShareTestCase(SealedBoxTestCase):
    def test_a_member_who_changes_their_password_keeps_their_share(self):
        member = self.members[2]
        before = share_unlock(box_key=self.box_key, user=member, password=PASSWORD)
        self.login(member)
        response = self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a new long passphrase",
                "new_password2": "a new long passphrase",
            },
        )
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        self.assertEqual(
            share_unlock(box_key=self.box_key, user=member, password="a new long passphrase"),
            before,
        )
        with self.assertRaises(crypto.SealError):
            share_unlock(box_key=self.box_key, user=member, password=PASSWORD)
