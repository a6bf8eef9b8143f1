"""All of Trust Box's cryptography, in one place, named by the direction of each operation.

- The box key: an X25519 key pair per school. Appeals are sealed to its public half
  (libsodium sealed boxes); its private half exists whole only in memory, during a key
  ceremony or an opening, and is otherwise kept as SLIP-39 Shamir shares.
- Member keys: an X25519 key pair per commission member. The private half is locked under a
  key derived from the member's password (Argon2id); a member's box share is sealed to the
  member's public half.
- Receipts: one Argon2id derivation of the receipt code gives both the lookup hash that is
  stored and the key that opens replies to the writer.
- The chain: every sealed appeal links to the one before it by a hash.
- Signing keys: an Ed25519 key pair per commission member, its private half locked under the
  member's password like their personal key; members sign the canonical content of protocols.

Nothing here touches the database, a log or a file.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import shamir_mnemonic
from nacl import pwhash, utils
from nacl.bindings import crypto_box_easy_afternm
from nacl.exceptions import CryptoError
from nacl.public import Box, PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox
from nacl.signing import SigningKey, VerifyKey

KEY_BYTES = 32
GENESIS = b"\x00" * 32


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
    """Open many envelopes with one box private key, its public half worked out once."""

    def __init__(self, box_private: bytes) -> None:
        self._box = SealedBox(PrivateKey(box_private))

    def open(self, sealed: bytes) -> bytes:
        try:
            return self._box.decrypt(sealed)
        except CryptoError as error:
            raise SealError("the envelope does not open with this box key") from error


def opener_with_box_key(box_private: bytes) -> BoxOpener:
    """What an opening opens its many envelopes with (open_with_box_key, for many)."""
    return BoxOpener(box_private)


def box_public_from_private(box_private: bytes) -> bytes:
    return bytes(PrivateKey(box_private).public_key)


# --- splitting the box key ---------------------------------------------------------------

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


# --- member keys -------------------------------------------------------------------------


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


def member_keypair_generate() -> KeyPair:
    return box_keypair_generate()


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


def seal_for_member(member_public: bytes, secret: bytes) -> bytes:
    return SealedBox(PublicKey(member_public)).encrypt(secret)


def open_with_member_key(member_private: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(member_private)).decrypt(sealed)
    except CryptoError as error:
        raise SealError("this share was not sealed to this member") from error


# --- receipts ----------------------------------------------------------------------------

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
    return open_with_receipt(reply_key, locked)


def seal_for_writer(writer_public: bytes, plaintext: bytes) -> bytes:
    return SealedBox(PublicKey(writer_public)).encrypt(plaintext)


def open_with_writer_key(writer_private: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(writer_private)).decrypt(sealed)
    except CryptoError as error:
        raise SealError("this message was not sealed to this writer") from error


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


# --- the chain ---------------------------------------------------------------------------


def chain_link(previous: bytes, ciphertext: bytes, metadata: Sequence[str | int]) -> bytes:
    """The hash that ties a sealed appeal to the one before it: H(prev ‖ ciphertext ‖ meta)."""
    digest = hashlib.sha256()
    digest.update(previous)
    digest.update(hashlib.sha256(ciphertext).digest())
    digest.update("|".join(map(str, metadata)).encode())
    return digest.digest()


def chain_code(head: bytes) -> str:
    """A short code for a chain head that people can compare by eye: XXXX-XXXX-XXXX."""
    text = head.hex()[:12].upper()
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


# --- a code people compare by eye for a public key -------------------------------------


def key_code(public: bytes) -> str:
    """A short code of a public key (48 bits), as XXXX-XXXX-XXXX, for people to compare.

    48 bits so that nobody can make a key of their own with the same code in the hours an
    opening lasts (that is 2**47 key pairs on average).
    """
    text = hashlib.sha256(b"trustbox key code|" + public).hexdigest()[:12].upper()
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


# Cyrillic letters drawn as Latin ones (А В Е К М Н О Р С Т Х, both cases): a code typed on a
# Kyrgyz or Russian keyboard reads as the Latin letters it shows.
_CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНОРСТХавекмнорстх", "ABEKMHOPCTX" * 2)
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def code_fold(code: str) -> str:
    """A code as typed on a phone, as the Latin capitals it looks like, without spaces or dashes.

    Full-width and other compatibility forms of digits and letters are read as the plain ones
    (NFKC); Cyrillic look-alikes as their Latin twins.
    """
    text = unicodedata.normalize("NFKC", code).translate(_CYRILLIC_LOOKALIKES).upper()
    return "".join(ch for ch in text if not ch.isspace() and ch not in _DASHES)


def key_code_normalise(code: str) -> str:
    """A code as typed (spaces, dashes, small or Cyrillic letters, O for 0) as key_code gives it.

    The same reading serves every XXXX-XXXX-XXXX code of hex digits (chain_code's too).
    """
    text = "".join(ch for ch in code_fold(code).replace("O", "0") if ch in "0123456789ABCDEF")
    text = text[:12]
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


# --- signing keys: members sign protocols ------------------------------------------------

SIGNATURE_BYTES = 64
# Crockford's base32: no I, L, O or U, so that a code read off paper is typed back right.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_READS_AS = {"O": "0", "I": "1", "L": "1"}
VERIFICATION_CODE_CHARS = 16  # 80 bits: not guessable, short enough to type from paper


def signing_keypair_generate() -> KeyPair:
    """An Ed25519 key pair: the private half is the 32-byte seed."""
    key = SigningKey.generate()
    return KeyPair(public=bytes(key.verify_key), private=bytes(key))


def signing_public_from_private(private: bytes) -> bytes:
    return bytes(SigningKey(private).verify_key)


def sign_with_signing_key(private: bytes, message: bytes) -> bytes:
    """A detached Ed25519 signature of the message."""
    return SigningKey(private).sign(message).signature


def signature_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """Whether the signature over exactly this message was made with the public key's pair."""
    try:
        VerifyKey(public).verify(message, signature)
    except (CryptoError, ValueError, TypeError):
        return False
    return True


def content_fingerprint(content: bytes) -> str:
    """The SHA-256 of a document's canonical content, as 64 hex digits."""
    return hashlib.sha256(content).hexdigest()


def key_fingerprint(public: bytes) -> str:
    """A short name of a public key for the audit log: the first 16 hex digits of its hash."""
    return hashlib.sha256(public).hexdigest()[:16]


def verification_code_generate() -> str:
    """A random code that names a document publicly: 16 base32 characters (80 bits)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(VERIFICATION_CODE_CHARS))


def verification_code_normalise(code: str) -> str | None:
    """Read a code as typed (dashes, spaces, lower case, Cyrillic look-alikes, O for 0).

    None if it cannot be one.
    """
    if len(code) > 64:
        return None
    chars = [_CODE_READS_AS.get(ch, ch) for ch in code_fold(code)]
    if len(chars) != VERIFICATION_CODE_CHARS or any(ch not in _CODE_ALPHABET for ch in chars):
        return None
    return "".join(chars)


# --- keyed, rotating hashes for abuse limits ---------------------------------------------


def rotating_tag(secret: str, day: str, value: str) -> str:
    """A keyed hash of a value that changes every day: counts a client without knowing it."""
    key = hashlib.sha256(f"{secret}|{day}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]
