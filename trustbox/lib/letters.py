"""One spelling for a name typed in Cyrillic or in Latin letters, to compare names in a search.

A school is named in Cyrillic («С. Мырзакматов атындагы орто мектеп»), but a phone may have only
a Latin keyboard: "Myrzakmatov" must find it, and «Мырзакматов» must find a name typed in Latin.
Both are folded to one rough Latin skeleton: Cyrillic letters (the Kyrgyz ң ө ү too) to Latin
ones, letters with marks to plain ones (ö ü to o u), then the usual two ways of writing a sound
to one (zh and j, kh and h, ts and c, y and i, ng and n; «Бакиев» written "Bakiyev"). The
skeleton is only ever compared, never shown.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ә": "a", "ғ": "g", "қ": "k", "ұ": "u", "һ": "h",
}  # fmt: skip
_TABLE = str.maketrans({**_CYRILLIC, "ñ": "ng", "ŋ": "ng", "’": "", "'": "", "ʼ": ""})
# Latin spellings of one sound, longest first: each becomes the one on its right.
_SOUNDS = (
    ("shch", "sh"),
    ("zh", "j"),
    ("kh", "h"),
    ("ts", "c"),
    ("x", "ks"),
    ("w", "v"),
    ("q", "k"),
    ("y", "i"),
    ("ng", "n"),  # «ң» is often typed as n: "Jany-Jol"
)


def name_fold(text: str) -> str:
    """The text as a rough Latin skeleton: the same for «Мырзакматов» and "Myrzakmatov"."""
    text = text.casefold().translate(_TABLE)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    for spelling, sound in _SOUNDS:
        text = text.replace(spelling, sound)
    text = re.sub(r"i+", "i", text)  # «ий», "iy"
    return _YE.sub("e", text)  # «е» after a vowel or first, written "ye": «Бакиев», "Bakiyev"


_YE = re.compile(r"(?:(?<=[aeiou])|(?<![a-z]))ie")
