"""Reads about a school's box that say how much waits inside, never what."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from trustbox.box.models import SealedAppeal
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey


@dataclass(frozen=True)
class BoxContents:
    waiting: int
    urgent: int
    paper: int = 0  # paper appeals typed in at the opening under way


def box_contents(school: School) -> BoxContents:
    counts = (
        SealedAppeal.objects.filter(school=school)
        .in_box()
        .aggregate(
            waiting=Count("id"),
            urgent=Count("id", filter=Q(urgent=True)),
            paper=Count("id", filter=Q(paper=True)),
        )
    )
    return BoxContents(waiting=counts["waiting"], urgent=counts["urgent"], paper=counts["paper"])


@dataclass(frozen=True)
class WriterBox:
    """A school as the writer's form needs it: is its box sealed, and what seals into it.

    Read in one query, for the form and for appeal_submit: the box key in force (none before
    the commission sealed the box) and the receipt salt (none before the first appeal).
    """

    school: School
    box_key_id: int | None
    box_public: bytes | None
    receipt_salt: bytes | None

    @property
    def ready(self) -> bool:
        return self.box_key_id is not None

    @property
    def key_code(self) -> str:
        """The box key's short code (XXXX-XXXX-XXXX), as the poster and the seal page show it."""
        return crypto.key_code(self.box_public) if self.box_public is not None else ""


# The key in force is the newest one not retired, as BoxKey.objects.current says.
WRITER_BOX_SQL = """
SELECT s.*, k.id AS writer_box_key_id, k.public_key AS writer_box_public,
       b.receipt_salt AS writer_receipt_salt
FROM schools_school s
LEFT JOIN seal_boxkey k ON k.id = (
    SELECT MAX(id) FROM seal_boxkey WHERE school_id = s.id AND retired_at IS NULL
)
LEFT JOIN box_box b ON b.school_id = s.id
WHERE s.slug = %s
"""


def writer_box(slug: str) -> WriterBox | None:
    """The school of this short name with its box's key and salt; None if there is none.

    One plain query: on every view of the form, building it with the ORM cost more than the
    rest of the page.
    """
    found = list(School.objects.raw(WRITER_BOX_SQL, [slug]))
    if not found:
        return None
    school = found[0]
    extra = school.__dict__
    key_id = extra.pop("writer_box_key_id")
    public = extra.pop("writer_box_public")
    salt = extra.pop("writer_receipt_salt")
    return WriterBox(
        school=school,
        box_key_id=key_id,
        box_public=bytes(public) if public is not None else None,
        receipt_salt=bytes(salt) if salt is not None else None,
    )


def box_key_code(school: School) -> str:
    """The short code of the box key in force (what the writer's form seals to), or ""."""
    key = BoxKey.objects.current(school)
    return crypto.key_code(bytes(key.public_key)) if key is not None else ""


def box_key_opens(box: WriterBox, key_id: int) -> bool:
    """Can this school's next opening open an envelope sealed to this box key?

    The key in force, or one it replaced through renewals: each renewal sealed the old private
    half to the new key (seal.services.box_key_renew), and the opening walks that chain back
    (openings.services). A key of another school, or one that chain does not reach (a box key
    made afresh, not renewed), is not opened.
    """
    if box.box_key_id is None:
        return False
    if key_id == box.box_key_id:
        return True
    renewed_from = dict(
        BoxKey.objects.filter(school=box.school, previous_private_sealed__isnull=False)
        .exclude(previous=None)
        .values_list("pk", "previous_id")
    )
    key: int | None = box.box_key_id
    for _step in range(len(renewed_from)):
        key = renewed_from.get(key) if key is not None else None
        if key == key_id:
            return True
    return False
