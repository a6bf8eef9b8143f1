"""The writer's receipt: its code, what one derivation of it gives, and replies only it opens.

One Argon2id derivation of the receipt code gives both the lookup hash that is stored and the
key that opens replies to the writer (the writer's key pair is locked under that reply key).
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from nacl import pwhash, utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from .browser import browser_writer_key_holds, browser_writer_key_unlock
from .envelopes import SealError, box_keypair_generate
from .passwords import KdfCost, _costs

RECEIPT_GROUPS = 5
RECEIPT_GROUP_DIGITS = 4  # 20 digits: log2(10**20) = 66 bits
RECEIPT_DIGITS = RECEIPT_GROUPS * RECEIPT_GROUP_DIGITS
# Receipts given before November 2026: 16 digits (53 bits), still read and looked up.
RECEIPT_DIGITS_BEFORE = 16


def _receipt_grouped(digits: str) -> str:
    return "-".join(
        digits[i : i + RECEIPT_GROUP_DIGITS] for i in range(0, len(digits), RECEIPT_GROUP_DIGITS)
    )


def receipt_code_generate() -> str:
    """A new receipt code: 20 random digits in five groups of four."""
    return _receipt_grouped("".join(str(secrets.randbelow(10)) for _ in range(RECEIPT_DIGITS)))


def receipt_code_normalise(code: str) -> str | None:
    """Read a code as typed (spaces, dashes, full-width digits); None if it cannot be one.

    A code has 20 digits, or 16 if it was given before November 2026.
    """
    if len(code) > 100:
        return None
    digits = "".join(
        str(unicodedata.decimal(ch)) for ch in code if unicodedata.decimal(ch, None) is not None
    )
    if len(digits) not in (RECEIPT_DIGITS, RECEIPT_DIGITS_BEFORE):
        return None
    return _receipt_grouped(digits)


def receipt_cost(code: str) -> KdfCost:
    """The derivation cost of a normalised code: a code's length says which cost it was given."""
    digits = sum(ch.isdigit() for ch in code)
    if digits == RECEIPT_DIGITS:
        return _costs["receipt"]
    if digits == RECEIPT_DIGITS_BEFORE:
        return _costs["receipt_16"]
    raise ValueError("not a receipt code")


@dataclass(frozen=True)
class ReceiptSecrets:
    lookup: str  # hex, stored to find the appeal
    reply_key: bytes  # never stored: opens the replies to the writer


def receipt_derive(code: str, salt: bytes) -> ReceiptSecrets:
    """Derive the stored lookup hash and the reply key from a normalised receipt code."""
    cost = receipt_cost(code)
    out = pwhash.argon2id.kdf(
        64,
        code.encode(),
        salt[: pwhash.argon2id.SALTBYTES],
        opslimit=cost.opslimit,
        memlimit=cost.memlimit,
    )
    return ReceiptSecrets(lookup=out[:32].hex(), reply_key=out[32:])


def receipt_salt_generate() -> bytes:
    return utils.random(pwhash.argon2id.SALTBYTES)


def seal_for_receipt(reply_key: bytes, plaintext: bytes) -> bytes:
    return SecretBox(reply_key).encrypt(plaintext)


def open_with_receipt(reply_key: bytes, sealed: bytes) -> bytes:
    try:
        return SecretBox(reply_key).decrypt(sealed)
    except CryptoError as error:
        raise SealError("this receipt does not open the message") from error


# --- the writer's key: replies that only the receipt opens --------------------------------


def writer_key_make(reply_key: bytes) -> tuple[bytes, bytes]:
    """A key pair for replies to one writer: (public, private locked under the reply key)."""
    pair = box_keypair_generate()
    return pair.public, seal_for_receipt(reply_key, pair.private)


def writer_key_unlock(reply_key: bytes, locked: bytes) -> bytes:
    """The writer's private key: locked on the server (a secret box) or in a browser."""
    if browser_writer_key_holds(locked):
        return browser_writer_key_unlock(reply_key, locked)
    return open_with_receipt(reply_key, locked)


def seal_for_writer(writer_public: bytes, plaintext: bytes) -> bytes:
    return SealedBox(PublicKey(writer_public)).encrypt(plaintext)


def open_with_writer_key(writer_private: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(writer_private)).decrypt(sealed)
    except CryptoError as error:
        raise SealError("this message was not sealed to this writer") from error
