"""An appeal's case keys: new writing on an old case is sealed to a key made after a rotation.

An appeal is registered with one case key, its private half sealed to the registry key in
force. When the registry key is replaced (a new commission), nothing is re-sealed at once: at
an appeal's first new entry after the rotation (a note, a reply, a decision, the writer's
message) a new case key is made, its private half sealed to the registry key in force only,
and that entry and every later one are sealed to it. Earlier entries keep their key, which
members in force still open through the chain of previous registry keys. The cost is one key
pair and one seal per appeal that is written to again, at that moment; a rotation itself
touches no appeal, however many there are.

Whoever held the old registry key (a member who left, with a copy of the database from before
and her password) opens the old case keys and the entries written before, never the newer key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from trustbox.accounts.models import User
from trustbox.registry.models import Appeal, CaseGrant, CaseKey, Entry, RegistryKey
from trustbox.seal import crypto
from trustbox.seal.models import MemberKey


def _in_force(appeal: Appeal) -> tuple[CaseKey | None, bytes, int]:
    """The appeal's newest case key: the row (None: its first key), public half, registry key."""
    newest = CaseKey.objects.filter(appeal=appeal).order_by("-id").first()
    if newest is not None:
        return newest, bytes(newest.public_key), newest.registry_key_id
    assert appeal.case_public_key is not None
    return None, bytes(appeal.case_public_key), appeal.registry_key_id


def case_key_for_writing(appeal: Appeal) -> tuple[CaseKey | None, bytes]:
    """The case key a new entry is sealed to; a new one if the registry key changed since.

    Needs no private key: the new key's private half is sealed to the registry key in force
    and, if the appeal is assigned to someone with a personal key, to theirs. Call it with the
    appeal's row locked.
    """
    key, public, registry_key_id = _in_force(appeal)
    in_force = RegistryKey.objects.filter(school_id=appeal.school_id).order_by("-id").first()
    if in_force is None or in_force.pk == registry_key_id:
        return key, public
    pair = crypto.case_keypair_generate()
    key = CaseKey.objects.create(
        appeal=appeal,
        public_key=pair.public,
        private_sealed=crypto.seal_for_box(bytes(in_force.public_key), pair.private),
        registry_key=in_force,
    )
    member_key = (
        MemberKey.objects.filter(user_id=appeal.assignee_id).first()
        if appeal.assignee_id is not None
        else None
    )
    if member_key is not None:
        CaseGrant.objects.create(
            appeal=appeal,
            holder_id=member_key.user_id,
            case_key=key,
            sealed_case_private=crypto.seal_for_member(bytes(member_key.public_key), pair.private),
        )
    return key, pair.public


def later_keys_through_registry(
    appeal: Appeal, registry_private_of: Callable[[RegistryKey], bytes]
) -> dict[int, bytes]:
    """The appeal's newer case keys, each opened through the registry key it is sealed to."""
    return {
        key.pk: crypto.open_with_box_key(
            registry_private_of(key.registry_key), bytes(key.private_sealed)
        )
        for key in CaseKey.objects.filter(appeal=appeal).select_related("registry_key")
    }


def later_keys_granted(*, appeal: Appeal, user: User, personal: bytes) -> dict[int, bytes]:
    """The appeal's newer case keys shared with this official (those made while assigned)."""
    grants = CaseGrant.objects.filter(appeal=appeal, holder=user, case_key__isnull=False)
    return {
        grant.case_key_id: crypto.open_with_member_key(personal, bytes(grant.sealed_case_private))
        for grant in grants
        if grant.case_key_id is not None
    }


def later_keys_grant(
    *, appeal: Appeal, to: User, member_public: bytes, later: Mapping[int, bytes]
) -> None:
    """Share the appeal's newer case keys with the official it is assigned to."""
    for key_id, private in later.items():
        CaseGrant.objects.update_or_create(
            appeal=appeal,
            holder=to,
            case_key_id=key_id,
            defaults={"sealed_case_private": crypto.seal_for_member(member_public, private)},
        )


def entries_open(
    appeal: Appeal, *, first: bytes, later: Mapping[int, bytes]
) -> list[tuple[Entry, str]]:
    """Every entry of the appeal's file, each opened with the case key it is sealed to.

    An entry whose key the reader lacks (a newer key made while the appeal was assigned to
    someone without a personal key) is left out.
    """
    opened = []
    for entry in appeal.entries.select_related("author"):
        private = first if entry.case_key_id is None else later.get(entry.case_key_id)
        if private is not None:
            text = crypto.open_with_case_key(private, bytes(entry.sealed_for_case)).decode()
            opened.append((entry, text))
    return opened
