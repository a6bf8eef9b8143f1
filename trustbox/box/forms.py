"""Form fields shared by the public form and the paper appeals typed in at an opening."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def plain_text(value: str) -> str:
    """NFC-normalise and drop control characters other than line breaks and tabs."""
    value = unicodedata.normalize("NFC", value)
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


def readable_text(text: str, *, empty_message: StrOrPromise) -> str:
    """A writer's text as it is kept: readable, normalised, not empty; else a clear error."""
    if "\ufffd" in text:
        raise forms.ValidationError(
            _(
                "Some characters of the text could not be read. "
                "Check the marked places (�) and send again."
            )
        )
    text = plain_text(text)
    if not text:
        raise forms.ValidationError(empty_message)
    return text
