"""Hashes people and limits read: the chain, short codes compared by eye, and rotating tags.

- The chain: every sealed appeal links to the one before it by a hash.
- Codes: short codes of a chain head or a public key (XXXX-XXXX-XXXX) and the verification
  codes that name a document publicly, each read back as typed on a phone.
- Rotating tags: a keyed hash that counts a client for the abuse limits without knowing it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Sequence

GENESIS = b"\x00" * 32

# --- the chain ---------------------------------------------------------------------------


def ciphertext_digest(ciphertext: bytes) -> bytes:
    """The SHA-256 of a ciphertext: what the chain holds of it, and all an erased appeal keeps."""
    return hashlib.sha256(ciphertext).digest()


def chain_link(previous: bytes, ciphertext: bytes, metadata: Sequence[str | int]) -> bytes:
    """The hash that ties a sealed appeal to the one before it: H(prev ‖ H(ciphertext) ‖ meta)."""
    return chain_link_from_digest(previous, ciphertext_digest(ciphertext), metadata)


def chain_link_from_digest(
    previous: bytes, digest_of_ciphertext: bytes, metadata: Sequence[str | int]
) -> bytes:
    """The same link from the ciphertext's SHA-256 alone: an erased appeal's link is checkable."""
    digest = hashlib.sha256()
    digest.update(previous)
    digest.update(digest_of_ciphertext)
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


# --- verification codes: a signed document named publicly -------------------------------

# Crockford's base32: no I, L, O or U, so that a code read off paper is typed back right.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_READS_AS = {"O": "0", "I": "1", "L": "1"}
VERIFICATION_CODE_CHARS = 16  # 80 bits: not guessable, short enough to type from paper


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
