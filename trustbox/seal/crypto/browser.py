"""Envelopes and receipts made in the writer's browser with WebCrypto (public static seal.js).

WebCrypto has neither libsodium's sealed boxes nor Argon2id, so what the browser makes has a
form of its own, built from what every current browser has natively:

- The envelope: an ephemeral X25519 key pair, one agreement with the school's box key,
  HKDF-SHA256 (salt: ephemeral public ‖ box public; info: _ENVELOPE_INFO) gives a 256-bit key and
  a 96-bit nonce (the key is never used twice), AES-256-GCM with the version byte as
  associated data. Bytes: version (0xB1) ‖ ephemeral public (32) ‖ ciphertext ‖ tag (16).
  The plaintext is the envelope's JSON padded with spaces one byte short of a size class, so
  that a browser's envelope is exactly as long as a sealed box of the same class (size + 48).
- The receipt: the code is made in the browser; PBKDF2-SHA256 of the code (salt: the box's
  receipt salt ‖ _RECEIPT_INFO) gives 64 bytes: the lookup hash (the first 32) and the reply
  key (the last 32). The writer's X25519 private key is locked under the reply key with
  AES-256-GCM: version (0xB1) ‖ nonce (12) ‖ ciphertext (32) ‖ tag (16).

An envelope sealed on the server (a sealed box) starts with its random ephemeral key, so one in
256 starts with the version byte too: opening tries the browser's form first when the byte says
so and the sealed box after (browser_open_with_box_key).
"""

from __future__ import annotations

import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .envelopes import (
    KEY_BYTES,
    PADDED_SIZES,
    PADDED_STEP_PAST,
    BoxOpener,
    SealError,
    padded_length,
)

BROWSER_VERSION = 0xB1
_ENVELOPE_INFO = b"trustbox-browser-envelope-v1"
_RECEIPT_INFO = b"trustbox-browser-receipt-v1"
_TAG_BYTES = 16
_NONCE_BYTES = 12
# What a sealed box adds to its plaintext, and a browser's envelope too: 32 + 16, or 1 + 32 + 15
# (its plaintext is padded one byte short).
_OVERHEAD = 48
# The largest browser envelope the server takes: its photos are re-drawn small (seal.js), and
# it travels as one upload, under the upload limit of 5 MiB.
BROWSER_ENVELOPE_MAX = 4 * PADDED_STEP_PAST + _OVERHEAD
# PBKDF2-SHA256 iterations of a receipt made in the browser (docs/security-receipts.md: measured
# on a phone profile). Lowered for the test suite with the Argon2id costs.
RECEIPT_ITERATIONS = 100_000
_TEST_ITERATIONS = 1_000
_iterations = {"receipt": RECEIPT_ITERATIONS}
_LOCKED_KEY_BYTES = 1 + _NONCE_BYTES + KEY_BYTES + _TAG_BYTES


def browser_iterations_lower_for_tests() -> None:
    """Make every new browser-receipt derivation cheap. Only the test suite calls this."""
    _iterations["receipt"] = _TEST_ITERATIONS


def browser_receipt_iterations() -> int:
    """The iterations the form page gives the browser (and the server derives with)."""
    return _iterations["receipt"]


def _key_and_nonce(
    shared: bytes, ephemeral_public: bytes, box_public: bytes
) -> tuple[bytes, bytes]:
    out = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES + _NONCE_BYTES,
        salt=ephemeral_public + box_public,
        info=_ENVELOPE_INFO,
    ).derive(shared)
    return out[:KEY_BYTES], out[KEY_BYTES:]


def browser_padded_length(length: int) -> int:
    """The length a browser pads an envelope's JSON to: one byte short of its size class."""
    return padded_length(length + 1) - 1


def browser_envelope_size_holds(length: int) -> bool:
    """Is this the length of an envelope of one of the size classes, within the limit?"""
    if length > BROWSER_ENVELOPE_MAX:
        return False
    plain = length - _OVERHEAD
    return plain in PADDED_SIZES or (plain > PADDED_SIZES[-1] and plain % PADDED_STEP_PAST == 0)


def browser_envelope_form_holds(sealed: bytes) -> bool:
    """What the server can check of a browser's envelope without opening it: version, size."""
    return (
        len(sealed) > 0
        and sealed[0] == BROWSER_VERSION
        and browser_envelope_size_holds(len(sealed))
    )


def seal_for_box_as_browser(box_public: bytes, plaintext: bytes) -> bytes:
    """Seal as seal.js does (the tests' own browser; the plaintext padded here).

    The server never seals this way: it seals with seal_for_box.
    """
    padded = plaintext.ljust(browser_padded_length(len(plaintext)), b" ")
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(box_public))
    key, nonce = _key_and_nonce(shared, ephemeral_public, box_public)
    version = bytes([BROWSER_VERSION])
    return version + ephemeral_public + AESGCM(key).encrypt(nonce, padded, version)


def browser_open_with_box_key(box_private: bytes, sealed: bytes) -> bytes:
    """Open an envelope sealed in a browser; SealError if it does not open."""
    if len(sealed) < 1 + KEY_BYTES + _TAG_BYTES or sealed[0] != BROWSER_VERSION:
        raise SealError("not an envelope sealed in a browser")
    ephemeral_public = sealed[1 : 1 + KEY_BYTES]
    try:
        private = X25519PrivateKey.from_private_bytes(box_private)
        box_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key, nonce = _key_and_nonce(shared, ephemeral_public, box_public)
        return AESGCM(key).decrypt(nonce, sealed[1 + KEY_BYTES :], sealed[:1])
    except (InvalidTag, ValueError) as error:
        raise SealError("the browser's envelope does not open with this box key") from error


class EnvelopeOpener(BoxOpener):
    """Open many envelopes of both kinds: sealed on the server or in a browser."""

    def open(self, sealed: bytes) -> bytes:
        if sealed[:1] == bytes([BROWSER_VERSION]):
            try:
                return browser_open_with_box_key(self._private, sealed)
            except SealError:
                pass  # one sealed box in 256 starts with the same byte: try it as one
        return super().open(sealed)


def opener_with_box_key(box_private: bytes) -> BoxOpener:
    """What an opening opens its many envelopes with, of both kinds."""
    return EnvelopeOpener(box_private)


# --- the receipt made in the browser ----------------------------------------------------------


def browser_receipt_derive(
    code: str, salt: bytes, iterations: int | None = None
) -> tuple[str, bytes]:
    """(lookup hash in hex, reply key) of a normalised code, as seal.js derives them.

    One PBKDF2 block (32 bytes), then two SHA-256 of it: a guesser gets nothing cheaper than
    the derivation the server and the browser pay (a 64-byte PBKDF2 would cost them twice
    what it costs a guesser, who needs the lookup's block only).
    """
    master = hashlib.pbkdf2_hmac(
        "sha256", code.encode(), salt + _RECEIPT_INFO, iterations or _iterations["receipt"], 32
    )
    lookup = hashlib.sha256(b"lookup" + master).hexdigest()
    return lookup, hashlib.sha256(b"reply" + master).digest()


def browser_writer_key_lock(reply_key: bytes, writer_private: bytes) -> bytes:
    """Lock the writer's private key as seal.js does (for the tests; the server never does)."""
    version = bytes([BROWSER_VERSION])
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return version + nonce + AESGCM(reply_key).encrypt(nonce, writer_private, version)


def browser_writer_key_unlock(reply_key: bytes, locked: bytes) -> bytes:
    """The writer's private key, locked in the browser under the reply key."""
    if len(locked) != _LOCKED_KEY_BYTES or locked[0] != BROWSER_VERSION:
        raise SealError("not a writer's key locked in a browser")
    nonce = locked[1 : 1 + _NONCE_BYTES]
    try:
        return AESGCM(reply_key).decrypt(nonce, locked[1 + _NONCE_BYTES :], locked[:1])
    except InvalidTag as error:
        raise SealError("this receipt does not unlock the writer's key") from error


def browser_writer_key_holds(locked: bytes) -> bool:
    """Does a locked writer's key sent by a browser have the right form?"""
    return len(locked) == _LOCKED_KEY_BYTES and locked[0] == BROWSER_VERSION
