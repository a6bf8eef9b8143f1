"""The appeal form as a browser that sealed it sends it (public/static/public/seal.js).

Only the envelope, the receipt's lookup hash, the writer's locked key, the box key it was
sealed to, the urgency and the form's token: any field of the plain form sent along is refused
(its text is put back on the form), so that a page that seals never sends words in the clear
by mistake.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trustbox.box.sealed_intake import ENVELOPE_REFUSED, BrowserSealed
from trustbox.box.selectors import WriterBox
from trustbox.box.services import box_for
from trustbox.public.forms import SentOnceForm
from trustbox.seal import crypto

# The plain form's fields: none of them may come with a sealed envelope.
PLAIN_FIELDS = ("text", "kind", "category", "signed", "name", "class_or_role", "contact")
PLAIN_FILES = ("attachments",)
SEALED_FIELD = "sealed"


def is_sealed_post(data: Any, files: Any) -> bool:
    """Was this form sealed in the browser (it carries an envelope)?"""
    return SEALED_FIELD in files or SEALED_FIELD in data


def plaintext_sent_along(data: Any, files: Any) -> bool:
    """Did a sealed form bring a field of the plain form with it?"""
    return any(name in data for name in PLAIN_FIELDS) or any(name in files for name in PLAIN_FILES)


class SealedAppealForm(SentOnceForm):
    """What a browser that sealed the appeal sends; nothing of it reads the appeal."""

    sealed = forms.FileField()
    lookup = forms.CharField(max_length=64, min_length=64)
    writer_key = forms.CharField(max_length=200)
    box_key = forms.IntegerField()
    urgent = forms.BooleanField(required=False)

    def clean_writer_key(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["writer_key"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError(_("The receipt is not in a form the box takes.")) from error

    def refusal(self) -> str:
        """Why the invalid form is refused, in the writer's words."""
        if "token" in self.errors:
            return " ".join(str(error) for error in self.errors["token"])
        return str(ENVELOPE_REFUSED)

    def browser_sealed(self) -> BrowserSealed:
        data = self.cleaned_data
        return BrowserSealed(
            envelope=data["sealed"].read(),
            lookup=data["lookup"],
            writer_key_locked=data["writer_key"],
            urgent=data["urgent"],
            box_key_id=data["box_key"],
        )


def browser_seal(box: WriterBox) -> dict[str, object] | None:
    """What the form page gives the browser to seal with: the box key in force (its raw public
    half, base64), its id, the receipt salt and the receipt's iterations; None before the
    commission sealed the box. The box's salt is made with the first page that needs it."""
    if box.box_key_id is None or box.box_public is None:
        return None
    salt = box.receipt_salt
    if salt is None:
        salt = bytes(box_for(box.school).receipt_salt)
    return {
        "key": base64.b64encode(box.box_public).decode(),
        "key_id": box.box_key_id,
        "salt": base64.b64encode(salt).decode(),
        "iterations": crypto.browser_receipt_iterations(),
    }
