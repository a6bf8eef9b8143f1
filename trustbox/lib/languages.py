"""The languages documents are printed in, each named in itself."""

from __future__ import annotations

# Each language is named in itself, so a person finds their own whatever is active; a print
# button reads «Кыргызча PDF», «Русский PDF».
NATIVE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}

# Documents for the school's readers: the parents and children read Kyrgyz or Russian.
READER_LANGUAGES = ("ky", "ru")
# Documents the school files (acts, journals) may also be printed in English for a visitor.
DOCUMENT_LANGUAGES = ("ky", "ru", "en")


def language_choices(codes: tuple[str, ...] = READER_LANGUAGES) -> list[tuple[str, str]]:
    """(code, native name) for each language, for print buttons."""
    return [(code, NATIVE_NAMES[code]) for code in codes]
