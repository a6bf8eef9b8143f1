"""Splitting the box key into SLIP-39 shares, any threshold of which put it back together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import shamir_mnemonic

from .envelopes import SealError

# SLIP-39 allows at most 16 shares in a group.
MAX_SHARES = 16


def split_box_key(box_private: bytes, *, threshold: int, count: int) -> list[str]:
    """Split the box private key into `count` SLIP-39 mnemonics, any `threshold` of which open it.

    The mnemonics carry no passphrase: each member's share is protected by sealing it to
    the member's key, and the reserve shares by the school safe.
    """
    if not 1 <= threshold <= count <= MAX_SHARES:
        raise ValueError("threshold and count out of range")
    (group,) = shamir_mnemonic.generate_mnemonics(
        group_threshold=1,
        groups=[(threshold, count)],
        master_secret=box_private,
        iteration_exponent=0,
    )
    return list(group)


def combine_box_key(mnemonics: Iterable[str]) -> bytes:
    """Put the box private key back together from enough shares, or raise SealError.

    More shares than needed are fine (SLIP-39 itself wants exactly the threshold); the same
    share given twice counts once.
    """
    by_index: dict[int, str] = {}
    threshold = 0
    try:
        for mnemonic in mnemonics:
            words = " ".join(mnemonic.split())
            share = shamir_mnemonic.share.Share.from_mnemonic(words)
            by_index.setdefault(share.index, words)
            threshold = share.member_threshold
        return shamir_mnemonic.combine_mnemonics(list(by_index.values())[:threshold])
    except (shamir_mnemonic.MnemonicError, ValueError) as error:
        raise SealError(str(error)) from error


def share_is_valid(mnemonic: str) -> bool:
    return share_facts(mnemonic) is not None


@dataclass(frozen=True)
class ShareFacts:
    """What a share says of itself, none of it secret: which split it belongs to, its place."""

    identifier: int  # the same random number in every share of one split
    index: int  # 0 .. count - 1: members' shares first, then the reserve
    threshold: int


def share_facts(mnemonic: str) -> ShareFacts | None:
    """Read a share's identifier, index and threshold; None if the words are not a share."""
    try:
        share = shamir_mnemonic.share.Share.from_mnemonic(" ".join(mnemonic.split()))
    except (shamir_mnemonic.MnemonicError, ValueError):
        return None
    return ShareFacts(
        identifier=share.identifier, index=share.index, threshold=share.member_threshold
    )
