"""Sealing to a key pair and opening with its private half: what the box and the keys hold.

- The box key: an X25519 key pair per school. Appeals are sealed to its public half
  (libsodium sealed boxes), padded to a few sizes; its private half exists whole only in
  memory, during a key ceremony or an opening, and is otherwise kept as shares (shares.py).
- Member keys: an X25519 key pair per commission member; a member's box share is sealed to
  the member's public half (the private half is locked under their password: passwords.py).
- The registry key: an opening seals the appeals it takes out to it, with one key agreement.
- Case keys: one registered appeal and everything written about it.
- The commission's record and a browser session's hold on an unlocked personal key.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl import utils
from nacl.bindings import crypto_box_easy_afternm
from nacl.exceptions import CryptoError
from nacl.public import Box, PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

KEY_BYTES = 32


class SealError(Exception):
    """A ciphertext could not be opened: wrong key, wrong password or damaged data."""


# --- the box key -------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes


def box_keypair_generate() -> KeyPair:
    key = PrivateKey.generate()
    return KeyPair(public=bytes(key.public_key), private=bytes(key))


def seal_for_box(box_public: bytes, plaintext: bytes) -> bytes:
    """Seal bytes so that only the holder of the box private key can open them."""
    return SealedBox(PublicKey(box_public)).encrypt(plaintext)


# Plaintexts sealed into the box are padded to one of a few sizes, so that a ciphertext's
# length tells neither where it was written (the kiosk's envelope is a byte shorter) nor much
# of how long it is: 2 KiB holds any short text, then each size is four times the one before;
# past the last, whole mebibytes (an appeal with photos: at most 1 MiB of padding).
PADDED_SIZES = tuple(2048 * 4**step for step in range(6))  # 2 KiB … 2 MiB
PADDED_STEP_PAST = 1024 * 1024


def padded_length(length: int) -> int:
    """The size a plaintext of this length is padded to before it is sealed."""
    for size in PADDED_SIZES:
        if length <= size:
            return size
    return -(-length // PADDED_STEP_PAST) * PADDED_STEP_PAST


def open_with_box_key(box_private: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(box_private)).decrypt(sealed)
    except CryptoError as error:
        raise SealError("the envelope does not open with this box key") from error


class BoxOpener:
    """Open many envelopes with one box private key, its public half worked out once.

    An opening uses browser.EnvelopeOpener, which opens envelopes sealed in a browser too.
    """

    def __init__(self, box_private: bytes) -> None:
        self._private = box_private
        self._box = SealedBox(PrivateKey(box_private))

    def open(self, sealed: bytes) -> bytes:
        try:
            return self._box.decrypt(sealed)
        except CryptoError as error:
            raise SealError("the envelope does not open with this box key") from error


def box_public_from_private(box_private: bytes) -> bytes:
    return bytes(PrivateKey(box_private).public_key)


# --- member keys -------------------------------------------------------------------------


def member_keypair_generate() -> KeyPair:
    return box_keypair_generate()


def seal_for_member(member_public: bytes, secret: bytes) -> bytes:
    return SealedBox(PublicKey(member_public)).encrypt(secret)


def open_with_member_key(member_private: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(member_private)).decrypt(sealed)
    except CryptoError as error:
        raise SealError("this share was not sealed to this member") from error


# --- the registry key: many appeals sealed at once at an opening ---------------------------
#
# A sealed box makes a new key pair and two X25519 operations for every message, which cost
# more than opening the appeal did. An opening seals every appeal it takes out to the registry
# key with one ephemeral key pair instead: one X25519 agreement for the whole opening (a
# precomputed crypto_box), then XSalsa20-Poly1305 under a random nonce per appeal. Each sealed
# appeal carries the ephemeral public key, so that it opens on its own with the registry key:
# ephemeral public key (32) ‖ nonce (24) ‖ ciphertext with its tag. The ephemeral private key
# lives only in the sealer, for the opening's call.


class RegistrySealer:
    """Seal many messages to one registry public key with one key agreement."""

    def __init__(self, registry_public: bytes) -> None:
        ephemeral = PrivateKey.generate()
        self.ephemeral_public = bytes(ephemeral.public_key)
        self._shared = Box(ephemeral, PublicKey(registry_public)).shared_key()

    def seal(self, plaintext: bytes) -> bytes:
        # Box.encrypt, without the object it wraps its result in: nonce ‖ ciphertext.
        nonce = utils.random(Box.NONCE_SIZE)
        return b"".join(
            (self.ephemeral_public, nonce, crypto_box_easy_afternm(plaintext, nonce, self._shared))
        )


def sealer_for_registry(registry_public: bytes) -> RegistrySealer:
    """A sealer of an opening's appeals to the registry key (one ephemeral key pair)."""
    return RegistrySealer(registry_public)


def open_with_registry_key(registry_private: bytes, sealed: bytes) -> bytes:
    """Open what a RegistrySealer sealed, with the registry's private key."""
    try:
        box = Box(PrivateKey(registry_private), PublicKey(sealed[:KEY_BYTES]))
        return box.decrypt(sealed[KEY_BYTES:])
    except (CryptoError, ValueError, TypeError) as error:
        raise SealError("this appeal does not open with this registry key") from error


# --- case keys: one registered appeal and everything written about it ---------------------


def case_keypair_generate() -> KeyPair:
    return box_keypair_generate()


def seal_for_case(case_public: bytes, plaintext: bytes) -> bytes:
    return SealedBox(PublicKey(case_public)).encrypt(plaintext)


def open_with_case_key(case_private: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(case_private)).decrypt(sealed)
    except CryptoError as error:
        raise SealError("this file does not open with this case key") from error


# --- the commission's record: a meeting's words, sealed to the registry key ---------------


def seal_for_commission(registry_public: bytes, plaintext: bytes) -> bytes:
    """Seal a piece of a meeting's record (its discussion, a decision) to the registry key."""
    return SealedBox(PublicKey(registry_public)).encrypt(plaintext)


def open_with_commission_key(registry_private: bytes, sealed: bytes) -> bytes:
    """Open a piece of a meeting's record with the registry key it was sealed to."""
    try:
        return SealedBox(PrivateKey(registry_private)).decrypt(sealed)
    except (CryptoError, ValueError, TypeError) as error:
        raise SealError("this record does not open with this registry key") from error


# --- a browser session's hold on an unlocked personal key ----------------------------------


def lock_for_browser(secret: bytes) -> tuple[bytes, bytes]:
    """Encrypt a secret under a fresh key: (key for the browser's cookie, locked secret)."""
    key = utils.random(SecretBox.KEY_SIZE)
    return key, SecretBox(key).encrypt(secret)


def unlock_from_browser(key: bytes, locked: bytes) -> bytes:
    try:
        return SecretBox(key).decrypt(locked)
    except (CryptoError, ValueError, TypeError) as error:
        raise SealError("the browser's key does not open this") from error
