"""What every member's password opens in a database: every key reached, every text opened.

Used by the destruction tests here and, in a child process, by the backup tests (a restored
archive searched the same way). The search does not go through the registry's services, which
refuse a destroyed case: it starts from every personal key (each member's password) and every
box key (all the shares of each, and the writer's receipt), opens in turn whatever any key opens
among all the bytes of the database, and collects every plaintext.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.db import connection

from trustbox.box.services import appeal_find_by_receipt
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, KeyShare, MemberKey
from trustbox.seal.services import member_key_unlock, share_unlock

# A sealed box's overhead: anything shorter is not one.
_SEALED_MIN = 48


def database_values() -> tuple[list[bytes], list[str]]:
    """Every byte string and every text of every table, as a copy of the database holds them."""
    blobs: list[bytes] = []
    texts: list[str] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # the tables of this database
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        blobs.append(bytes(value))
                    elif isinstance(value, str):
                        texts.append(value)
    return blobs, texts


def _opened(key: bytes, blob: bytes) -> bytes | None:
    for opener in (crypto.open_with_box_key, crypto.open_with_registry_key):
        with contextlib.suppress(crypto.SealError, ValueError, TypeError):
            return opener(key, blob)
    return None


def keys_reached(*, school: School, password: str, receipts: Iterable[str] = ()) -> set[bytes]:
    """Every private key that every member's password, every box key's shares and the writers'
    receipts reach, directly or through what they open in the database."""
    keys: set[bytes] = set()
    for member_key in MemberKey.objects.select_related("user"):
        with contextlib.suppress(crypto.SealError):
            keys.add(member_key_unlock(user=member_key.user, password=password))
    for box_key in BoxKey.objects.filter(school=school):
        shares = []
        for share in KeyShare.objects.filter(box_key=box_key).select_related("holder"):
            with contextlib.suppress(crypto.SealError, MemberKey.DoesNotExist):
                shares.append(share_unlock(box_key=box_key, user=share.holder, password=password))
        with contextlib.suppress(crypto.SealError):
            keys.add(crypto.combine_box_key(shares))
    for code in receipts:
        found = appeal_find_by_receipt(school=school, code=code)
        writer = found.writer_private() if found is not None else None
        if writer is not None:
            keys.add(writer)
    blobs = [blob for blob in database_values()[0] if len(blob) >= _SEALED_MIN]
    grew = True
    while grew:
        grew = False
        for blob in blobs:
            for key in list(keys):
                opened = _opened(key, blob)
                if opened is not None and len(opened) == 32 and opened not in keys:
                    keys.add(opened)
                    grew = True
    return keys


def texts_opened(keys: set[bytes]) -> list[bytes]:
    """Every plaintext any of the keys opens among the database's bytes, and its clear texts."""
    blobs, texts = database_values()
    opened = [text.encode() for text in texts]
    for blob in blobs:
        if len(blob) < _SEALED_MIN:
            continue
        for key in keys:
            plaintext = _opened(key, blob)
            if plaintext is not None:
                opened.append(plaintext)
    return opened


def secrets_readable(
    *, school: School, password: str, secrets: Iterable[str], receipts: Iterable[str] = ()
) -> list[str]:
    """Which of the secret words any member's password (or a receipt) reads in the database."""
    keys = keys_reached(school=school, password=password, receipts=receipts)
    plaintexts = texts_opened(keys)
    return [secret for secret in secrets if any(secret.encode() in text for text in plaintexts)]
