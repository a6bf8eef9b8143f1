"""Keys derived from what people type (Argon2id): their cost, and secrets locked under a password.

A member's personal and signing keys are locked under their password; the cost of each
derivation is written into the locked key's header, so that keys locked at any cost still open.
The receipt codes' costs live here too (receipts.py derives with them), so that one call makes
every derivation cheap for the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl import pwhash, utils
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from .browser import browser_iterations_lower_for_tests
from .envelopes import SealError


@dataclass(frozen=True)
class KdfCost:
    """The cost of one Argon2id derivation: passes and memory in bytes."""

    opslimit: int
    memlimit: int


# A member's personal key is unlocked a few times per opening, so it may be slow.
MEMBER_KDF = KdfCost(pwhash.argon2id.OPSLIMIT_INTERACTIVE, pwhash.argon2id.MEMLIMIT_INTERACTIVE)
# One derivation per submission and per look-up. A receipt code of 20 digits (66 bits) is
# derived with 8 MiB and 2 passes (about 7 ms on this machine), so that the box takes well over
# 100 appeals/s and guessing a code offline from a stolen database still costs hundreds of
# thousands of GPU-years (docs/security-receipts.md). Codes of 16 digits, given before
# November 2026, keep the cost they were derived with: 16 MiB, 2 passes. A code's length says
# which cost derives it, so that nothing is migrated and every old receipt keeps working.
RECEIPT_KDF = KdfCost(2, 8 * 1024 * 1024)
RECEIPT_KDF_16_DIGITS = KdfCost(2, 16 * 1024 * 1024)
# The cheapest cost libsodium allows: for the test suite only (kdf_costs_lower_for_tests).
TEST_KDF = KdfCost(pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.MEMLIMIT_MIN)
_costs = {"member": MEMBER_KDF, "receipt": RECEIPT_KDF, "receipt_16": RECEIPT_KDF_16_DIGITS}


def kdf_costs_lower_for_tests() -> None:
    """Make every new derivation cheap. Only the test suite calls this (conftest.py).

    A locked key carries its own cost in its header, so keys locked either way still open.
    """
    _costs["member"] = _costs["receipt"] = _costs["receipt_16"] = TEST_KDF
    browser_iterations_lower_for_tests()


def _password_key(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return pwhash.argon2id.kdf(
        SecretBox.KEY_SIZE, password.encode(), salt, opslimit=opslimit, memlimit=memlimit
    )


def lock_with_password(secret: bytes, password: str) -> bytes:
    """Encrypt a secret under a key derived from a password: version, limits, salt, box."""
    cost = _costs["member"]
    opslimit, memlimit = cost.opslimit, cost.memlimit
    salt = utils.random(pwhash.argon2id.SALTBYTES)
    key = _password_key(password, salt, opslimit, memlimit)
    header = b"\x01" + opslimit.to_bytes(4, "big") + memlimit.to_bytes(8, "big")
    return header + salt + SecretBox(key).encrypt(secret)


def unlock_with_password(locked: bytes, password: str) -> bytes:
    if len(locked) < 13 + pwhash.argon2id.SALTBYTES or locked[0] != 1:
        raise SealError("not a locked key")
    opslimit = int.from_bytes(locked[1:5], "big")
    memlimit = int.from_bytes(locked[5:13], "big")
    salt = locked[13 : 13 + pwhash.argon2id.SALTBYTES]
    key = _password_key(password, salt, opslimit, memlimit)
    try:
        return SecretBox(key).decrypt(locked[13 + pwhash.argon2id.SALTBYTES :])
    except CryptoError as error:
        raise SealError("wrong password") from error
