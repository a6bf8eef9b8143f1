"""Dates written out in full, as documents in Kyrgyz, Russian and English write them.

A Kyrgyz date inside a sentence takes the case the sentence needs: «10-декабрына чейин» (by
10 December, dative), «26-ноябрында ачылды» (opened on 26 November, locative). The code that
puts a date into a sentence names the case (DATIVE for "by …", LOCATIVE for "on …"); Russian
and English dates do not change.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum


class Case(StrEnum):
    """The grammatical case of a date inside a Kyrgyz sentence."""

    NOMINATIVE = "nominative"  # 2-сентябры (a date on its own)
    GENITIVE = "genitive"  # 2-сентябрынын (… күнкү буйругу)
    DATIVE = "dative"  # 2-сентябрына (чейин): by
    ACCUSATIVE = "accusative"  # 2-сентябрын
    LOCATIVE = "locative"  # 2-сентябрында: on
    ABLATIVE = "ablative"  # 2-сентябрынан (баштап): from


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

# The endings of a word in the third person possessive (сентябр-ы, апрел-и, июн-у) in each
# case, by the last vowel of the month's form: ы/у take the back endings, и the front ones.
_KY_ENDINGS = {
    Case.NOMINATIVE: {"ы": "", "и": "", "у": ""},
    Case.GENITIVE: {"ы": "нын", "и": "нин", "у": "нун"},
    Case.DATIVE: {"ы": "на", "и": "не", "у": "на"},
    Case.ACCUSATIVE: {"ы": "н", "и": "н", "у": "н"},
    Case.LOCATIVE: {"ы": "нда", "и": "нде", "у": "нда"},
    Case.ABLATIVE: {"ы": "нан", "и": "нен", "у": "нан"},
}


def ky_month(month: int, case: Case | str = Case.NOMINATIVE) -> str:
    """The Kyrgyz month of a date (1 → «январы») in the given case (DATIVE → «январына»)."""
    form = KY_MONTHS[month - 1]
    return form + _KY_ENDINGS[Case(case)][form[-1]]


def long_date(value: datetime.date, language: str, case: Case | str = Case.NOMINATIVE) -> str:
    """Write a date in full in the given language (ky, ru or en); Kyrgyz in the given case."""
    month = value.month - 1
    if language == "ky":
        return f"{value.year}-жылдын {value.day}-{ky_month(value.month, case)}"
    if language == "ru":
        return f"{value.day} {RU_MONTHS[month]} {value.year} г."
    return f"{value.day} {EN_MONTHS[month]} {value.year}"


def long_date_in_text(
    value: datetime.date, language: str, case: Case | str = Case.NOMINATIVE
) -> str:
    """Write a date in full inside a sentence: Russian «года», so no «г..» before a full stop."""
    if language == "ru":
        return f"{value.day} {RU_MONTHS[value.month - 1]} {value.year} года"
    return long_date(value, language, case)


_TWO_PERIODS = re.compile(r"(?<=\w)\.\.(?!\.)")


def one_period(text: str) -> str:
    """A sentence that ends on an abbreviated date («2026 г.») takes no second period.

    Russian dates end in «г.»: a message or a document line that puts one before its full stop
    would print «г..». Mail (lib/mail.py) and documents pass their finished text through here;
    an ellipsis («...») is left alone.
    """
    return _TWO_PERIODS.sub(".", text)


def short_date(value: datetime.date, language: str, case: Case | str = Case.NOMINATIVE) -> str:
    """A day of this year without the year, for lists and reminders: «27-ноябрына», «27 ноября»."""
    if language == "ky":
        return f"{value.day}-{ky_month(value.month, case)}"
    if language == "ru":
        return f"{value.day} {RU_MONTHS[value.month - 1]}"
    return f"{value.day} {EN_MONTHS[value.month - 1]}"
