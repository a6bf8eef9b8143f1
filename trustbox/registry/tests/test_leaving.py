"""Leaving the commission ends access to the registry (issue 9, point 1)."""

import contextlib
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.commission.services import commission_appoint
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.openings.renewal import rekey_finish
from trustbox.openings.services import opening_open
from trustbox.registry.keys import registry_holds, registry_unlock
from trustbox.registry.models import Appeal, CaseGrant, RegistryKey, RegistryKeyWrap
from trustbox.registry.services import appeal_assign, appeal_read
from trustbox.registry.session import COOKIE
from trustbox.registry.tests.helpers import ANONYMOUS_TEXT, SIGNED_TEXT, RegistryTestCase
from trustbox.seal import crypto
from trustbox.seal.models import KeyShare
from trustbox.seal.services import member_key_set, member_key_unlock
from trustbox.test import PASSWORD, make_person

AFTER_TEXT = "SECRET-written after she left the commission"


class LeavingTheCommissionTestCase(RegistryTestCase):
    """members[3] sits on the first commission; a new order of 1 November drops her."""

    def setUp(self):
        super().setUp()
        self.leaver = self.members[3]
        self.newcomer = make_person(self.school, "newcomer")
        member_key_set(user=self.newcomer, password=PASSWORD, school=self.school)

    def new_order(self):
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="21",
            order_date=datetime.date(2026, 11, 1),
            members=[*self.members[:3], self.parent, self.newcomer],
            parents_representative=self.parent,
            responsible=self.responsible,
        )

    def test_the_confirmation_of_a_new_order_says_the_registry_closes_to_the_leaver(self):
        from trustbox.commission.consequences import order_consequences

        with translation.override("en"):
            lines = order_consequences(
                school=self.school,
                current=self.commission,
                members=[*self.members[:3], self.parent, self.newcomer],
            )
        [registry] = [line for line in lines if "registry" in line]
        self.assertIn(self.leaver.full_name, registry)
        self.assertNotIn(self.members[0].full_name, registry)
        self.assertIn("assigned to them", registry)

    def open_box(self, members):
        opening, key = opening_start(school=self.school, by=members[0])
        for member in members:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        return opening_open(opening=opening, by=members[0], browser_key=key)

    def url(self, name, **kwargs):
        return reverse(f"registry:{name}", kwargs={"school": self.school.slug, **kwargs})

    def test_a_member_removed_by_a_new_order_gets_nothing_from_any_registry_page(self):
        registered = self.register(self.anonymous)
        client = self.login(self.leaver, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        # She opened the registry in her browser while she was a member …
        self.assertEqual(client.post(self.url("unlock"), {"password": PASSWORD}).status_code, 302)
        self.assertEqual(client.get(self.url("detail", pk=registered.pk)).status_code, 200)

        self.new_order()

        # … and from the order on, every page checks the commission in force.
        self.assertFalse(RegistryKeyWrap.objects.filter(holder=self.leaver).exists())
        self.assertFalse(registry_holds(school=self.school, user=self.leaver))
        for pk in (registered.pk, self.signed.pk):
            self.assertEqual(client.get(self.url("detail", pk=pk)).status_code, 404)
        for name, extra in (
            ("card", {"language": "ky", "fmt": "pdf"}),
            ("card", {"language": "ru", "fmt": "docx"}),
            ("case_file", {"language": "ky"}),
            ("attachment", {"index": 0}),
        ):
            response = client.get(self.url(name, pk=registered.pk, **extra))
            self.assertEqual(response.status_code, 404, name)
        listing = client.get(self.url("list"))
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, "No appeals here.")
        self.assertNotContains(listing, registered.number)

        fresh = self.login(self.leaver, Client())
        fresh.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = fresh.get(self.url("unlock"))
        self.assertContains(response, "Nothing in the registry is open to you.", status_code=403)
        response = fresh.post(self.url("unlock"), {"password": PASSWORD})
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(COOKIE, response.cookies)
        with self.assertRaises(ValidationError):
            registry_unlock(school=self.school, user=self.leaver, password=PASSWORD)
        access_end = AuditEntry.objects.get(action="registry.access_end")
        self.assertEqual(access_end.details, {"people": [self.leaver.pk]})

    def test_a_copy_of_the_database_and_her_password_open_no_appeal_taken_out_after_she_left(self):
        old_wrap = bytes(RegistryKeyWrap.objects.get(holder=self.leaver).sealed_private_key)
        self.new_order()
        appeal_submit(
            school=self.school,
            envelope=Envelope(kind="complaint", category="bullying", text=AFTER_TEXT),
        )
        opened = self.open_box(self.members[:3])
        after = Appeal.objects.get(opening=opened)

        # The appeal taken out after the order is sealed to a new registry key only.
        new_key = RegistryKey.objects.order_by("-id").first()
        self.assertEqual(after.registry_key, new_key)
        self.assertEqual(new_key.previous.pk, self.anonymous.registry_key_id)
        self.assertEqual(bytes(new_key.previous.sealed_for_box), b"")

        # Her personal key, unlocked by her password, against every row she could use: every
        # wrap, grant and share in the copy, and the wrap she held before (an old backup).
        personal = member_key_unlock(user=self.leaver, password=PASSWORD)
        candidates, shares = [personal], []
        sealed_to_her = [
            *(bytes(w.sealed_private_key) for w in RegistryKeyWrap.objects.all()),
            *(bytes(g.sealed_case_private) for g in CaseGrant.objects.all()),
            old_wrap,
        ]
        for sealed in sealed_to_her:
            with contextlib.suppress(crypto.SealError):
                candidates.append(crypto.open_with_member_key(personal, sealed))
        for share in KeyShare.objects.all():
            with contextlib.suppress(crypto.SealError):
                shares.append(crypto.open_with_member_key(personal, bytes(share.sealed_share)))
        self.assertEqual(len(candidates), 2, "her personal key and her old wrap, nothing else")
        self.assertEqual(len(shares), 1, "her part of the box key, not yet renewed")
        with self.assertRaises(crypto.SealError):
            crypto.combine_box_key([share.decode() for share in shares])
        for key in candidates:
            for sealed in (after.sealed_content, new_key.previous_private_sealed):
                with self.assertRaises(crypto.SealError):
                    crypto.open_with_box_key(key, bytes(sealed))

        # The commission in force reads the appeals of before and after, the newcomer too.
        for reader in (self.members[1], self.newcomer):
            private = registry_unlock(school=self.school, user=reader, password=PASSWORD)
            texts = {
                appeal_read(appeal=a, registry_private=private, by=reader, purpose="test").text
                for a in Appeal.objects.all()
            }
            self.assertEqual(texts, {ANONYMOUS_TEXT, SIGNED_TEXT, AFTER_TEXT})

    def test_the_registry_key_is_rotated_at_the_renewal_if_it_comes_first(self):
        self.new_order()
        opening, key = opening_start(
            school=self.school, by=self.members[0], purpose=Opening.Purpose.REKEY
        )
        for member in self.members[:3]:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        rekey_finish(opening=opening, by=self.members[0], browser_key=key)
        self.assertEqual(RegistryKey.objects.count(), 2)
        self.assertEqual(
            set(RegistryKeyWrap.objects.values_list("holder", flat=True)),
            {m.pk for m in [*self.members[:3], self.parent, self.newcomer]},
        )
        self.assertEqual(RegistryKeyWrap.objects.exclude(registry_key__previous=None).count(), 5)
        # The next opening does not rotate again.
        self.open_box(self.members[:3])
        self.assertEqual(RegistryKey.objects.count(), 2)

    def test_a_member_who_left_cannot_join_an_opening_of_the_box(self):
        self.new_order()
        opening, _key = opening_start(school=self.school, by=self.members[0])
        with self.assertRaises(ValidationError) as caught:
            opening_join(
                opening=opening,
                member=self.leaver,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        self.assertIn("not a member of the commission in force", caught.exception.messages[0])

    def test_a_member_who_left_may_hand_the_old_key_on_and_then_holds_nothing(self):
        # A commission replaced whole still passes its key on: the old members renew it.
        self.new_order()
        opening, key = opening_start(
            school=self.school, by=self.members[0], purpose=Opening.Purpose.REKEY
        )
        for member in (self.members[0], self.leaver, self.members[4]):
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        new_key, _reserve = rekey_finish(opening=opening, by=self.members[0], browser_key=key)
        self.assertFalse(KeyShare.objects.filter(holder=self.leaver).exists())
        self.assertFalse(new_key.shares.filter(holder=self.leaver).exists())
        for purpose in (Opening.Purpose.OPEN, Opening.Purpose.REKEY):
            opening, _key = opening_start(school=self.school, by=self.members[0], purpose=purpose)
            with self.assertRaises(ValidationError):
                opening_join(
                    opening=opening,
                    member=self.leaver,
                    password=PASSWORD,
                    session_code=opening_code(opening),
                )
            Opening.objects.filter(pk=opening.pk).update(status=Opening.Status.CANCELLED)


class AnOfficialKeepsOnlyWhatIsAssignedTestCase(RegistryTestCase):
    def test_a_member_who_left_keeps_the_appeal_still_assigned_to_her_and_nothing_else(self):
        leaver = self.members[3]
        kept = self.register(self.anonymous)
        other = self.register(self.signed)
        appeal_assign(
            appeal=kept, to=leaver, by=self.responsible, case_private=self.case_private(kept)
        )
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="21",
            order_date=datetime.date(2026, 11, 1),
            members=[*self.members[:3], self.parent, self.teacher],
            parents_representative=self.parent,
            responsible=self.responsible,
        )
        client = self.login(leaver, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.assertEqual(
            client.post(
                reverse("registry:unlock", args=[self.school.slug]), {"password": PASSWORD}
            ).status_code,
            302,
        )
        listing = client.get(reverse("registry:list", args=[self.school.slug]))
        self.assertContains(listing, kept.number)
        self.assertNotContains(listing, other.number)
        response = client.get(reverse("registry:detail", args=[self.school.slug, kept.pk]))
        self.assertContains(response, ANONYMOUS_TEXT)
        response = client.get(reverse("registry:detail", args=[self.school.slug, other.pk]))
        self.assertEqual(response.status_code, 404)

        # Handed to someone else, it is gone for her too.
        appeal_assign(
            appeal=kept,
            to=self.members[1],
            by=self.responsible,
            case_private=self.case_private(kept),
        )
        response = client.get(reverse("registry:detail", args=[self.school.slug, kept.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(CaseGrant.objects.filter(holder=leaver).exists())

    def test_an_appeal_assigned_before_grants_were_kept_is_granted_at_the_rotation(self):
        leaver = self.members[3]
        kept = self.register(self.anonymous)
        appeal_assign(
            appeal=kept, to=leaver, by=self.responsible, case_private=self.case_private(kept)
        )
        # As an assignment to a member made before every assignee got the appeal's key.
        CaseGrant.objects.filter(holder=leaver).delete()
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="21",
            order_date=datetime.date(2026, 11, 1),
            members=[*self.members[:3], self.parent, self.teacher],
            parents_representative=self.parent,
            responsible=self.responsible,
        )
        self.box_open()
        self.assertEqual(
            list(CaseGrant.objects.filter(holder=leaver).values_list("appeal", flat=True)),
            [kept.pk],
        )
        rotation = AuditEntry.objects.get(action="registry.key_rotate")
        self.assertEqual(rotation.details, {"grants": 1})
