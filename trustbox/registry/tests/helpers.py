"""A school whose box was opened, with appeals in the registry, for the registry's tests."""

from __future__ import annotations

import datetime

from trustbox.box.envelope import Envelope, Writer
from trustbox.box.services import Receipt, appeal_submit
from trustbox.commission.services import commission_appoint
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.openings.renewal import rekey_finish
from trustbox.registry.keys import case_private_from_personal, personal_key_unlock, registry_unlock
from trustbox.registry.models import Appeal
from trustbox.registry.services import appeal_register
from trustbox.test import PASSWORD, SealedBoxTestCase

ANONYMOUS_TEXT = "SECRET-they mock me at breaks, 7b"
SIGNED_TEXT = "SECRET-the soup in the canteen is cold"


class RegistryTestCase(SealedBoxTestCase):
    """Two appeals taken out of the box: an anonymous one with a receipt and a signed one.

    `self.receipt` is the anonymous writer's receipt; `self.anonymous` and `self.signed` are
    the appeals in the registry, not yet registered. `self.responsible` registers them.
    """

    receipt: Receipt
    opening: Opening
    anonymous: Appeal
    signed: Appeal

    @classmethod
    def setUpTestData(cls) -> None:
        """Open the box once per class; each test starts from this state again."""
        super().setUpTestData()
        cls.receipt = appeal_submit(
            school=cls.school,
            envelope=Envelope(kind="complaint", category="bullying", text=ANONYMOUS_TEXT),
        )
        appeal_submit(
            school=cls.school,
            envelope=Envelope(
                kind="complaint",
                category="canteen",
                text=SIGNED_TEXT,
                writer=Writer(
                    name="Nazira Abdykadyrova", class_or_role="parent", contact="+996 555"
                ),
            ),
        )
        cls.opening = cls.box_open()
        cls.anonymous, cls.signed = Appeal.objects.order_by("number_in_act")

    def register(self, appeal: Appeal, **changes: object) -> Appeal:
        """Register as the responsible person does, with kind/category/urgency as given."""
        fields = {"kind": appeal.kind, "category": appeal.category, "urgent": appeal.urgent}
        fields.update(changes)
        return appeal_register(
            appeal=appeal,
            by=self.responsible,
            registry_private=registry_unlock(
                school=self.school, user=self.responsible, password=PASSWORD
            ),
            **fields,
        )

    def case_private(self, appeal: Appeal, user: object = None) -> bytes:
        user = user or self.responsible
        return case_private_from_personal(
            appeal=appeal,
            user=user,
            personal=personal_key_unlock(user=user, password=PASSWORD),
        )

    def new_order_and_renewal(self) -> None:
        """A new order drops members[3] and adds self.newcomer; three members renew the box key."""
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="21",
            order_date=datetime.date(2026, 11, 1),
            members=[*self.members[:3], self.parent, self.newcomer],
            parents_representative=self.parent,
            responsible=self.responsible,
        )
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
