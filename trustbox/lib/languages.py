"""The languages documents are printed in, each named in itself; the download buttons' words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# Each language is named in itself, so a person finds their own whatever is active (the
# language menu).
NATIVE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}

# Documents for the school's readers: the parents and children read Kyrgyz or Russian.
READER_LANGUAGES = ("ky", "ru")
# Documents the school files (acts, journals) may also be printed in English for a visitor.
DOCUMENT_LANGUAGES = ("ky", "ru", "en")


def language_choices(codes: tuple[str, ...] = READER_LANGUAGES) -> list[tuple[str, str]]:
    """(code, native name) for each language, for print buttons."""
    return [(code, NATIVE_NAMES[code]) for code in codes]


# Every download button names the document's language and format in the active language, the
# same way on every page: «Кыргызча PDF», «Орусча PDF» in Kyrgyz; «PDF на кыргызском» in Russian.
DOWNLOAD_LABELS = {
    ("ky", "pdf"): gettext_lazy("PDF in Kyrgyz"),
    ("ru", "pdf"): gettext_lazy("PDF in Russian"),
    ("en", "pdf"): gettext_lazy("PDF in English"),
    ("ky", "docx"): gettext_lazy("Word in Kyrgyz"),
    ("ru", "docx"): gettext_lazy("Word in Russian"),
    ("en", "docx"): gettext_lazy("Word in English"),
}


def download_label(language: str, fmt: str = "pdf") -> str:
    """The words of a download button: download_label("ru", "docx") is "Word in Russian"."""
    return str(DOWNLOAD_LABELS[(language, fmt)])
