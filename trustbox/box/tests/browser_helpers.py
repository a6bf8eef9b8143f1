"""An appeal sealed as seal.js seals it, made in Python for the server's tests."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from trustbox.box.models import Box
from trustbox.public.forms import submission_token
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey


@dataclass
class BrowserAppeal:
    """What a browser sends (data) and what it keeps (the code)."""

    data: dict[str, object]
    code: str
    envelope: bytes


def envelope_json(text: str, *, kind: str = "complaint", **more: object) -> bytes:
    body: dict[str, object] = {
        "kind": kind,
        "category": "bullying",
        "text": text,
        "urgent": False,
        "writer": None,
        "language": "ky",
        "attachments": [],
        "reply_public": "",
        "channel": "online",
        "v": 1,
    }
    body.update(more)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def sealed_in_browser(
    box_key: BoxKey, text: str, *, envelope: bytes | None = None, **more: object
) -> BrowserAppeal:
    """Seal an appeal to the box key as the browser does, with a receipt made as it makes it."""
    school = box_key.school
    box, _made = Box.objects.get_or_create(
        school=school, defaults={"receipt_salt": crypto.receipt_salt_generate()}
    )
    code = crypto.receipt_code_generate()
    lookup, reply_key = crypto.browser_receipt_derive(code, bytes(box.receipt_salt))
    writer = crypto.box_keypair_generate()
    if envelope is None:
        raw = envelope_json(text, reply_public=base64.b64encode(writer.public).decode(), **more)
        envelope = crypto.seal_for_box_as_browser(bytes(box_key.public_key), raw)
    data: dict[str, object] = {
        "token": submission_token(),
        "box_key": box_key.pk,
        "lookup": lookup,
        "writer_key": base64.b64encode(
            crypto.browser_writer_key_lock(reply_key, writer.private)
        ).decode(),
        "sealed": SimpleUploadedFile("sealed", envelope, "application/octet-stream"),
    }
    return BrowserAppeal(data=data, code=code, envelope=envelope)
