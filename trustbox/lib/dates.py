"""Dates written out in full, as documents in Kyrgyz, Russian and English write them."""

from __future__ import annotations

import datetime

# Kyrgyz documents write "2026-жылдын 2-сентябры": the month takes the possessive ending.
KY_MONTHS = (
    "январы", "февралы", "марты", "апрели", "майы", "июну",
    "июлу", "августу", "сентябры", "октябры", "ноябры", "декабры",
)  # fmt: skip
RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(value: datetime.date, language: str) -> str:
    """Write a date in full in the given language (ky, ru or en)."""
    month = value.month - 1
    if language == "ky":
        return f"{value.year}-жылдын {value.day}-{KY_MONTHS[month]}"
    if language == "ru":
        return f"{value.day} {RU_MONTHS[month]} {value.year} г."
    return f"{value.day} {EN_MONTHS[month]} {value.year}"


def long_date_in_text(value: datetime.date, language: str) -> str:
    """Write a date in full inside a sentence: Russian «года», so no «г..» before a full stop."""
    if language == "ru":
        return f"{value.day} {RU_MONTHS[value.month - 1]} {value.year} года"
    return long_date(value, language)
