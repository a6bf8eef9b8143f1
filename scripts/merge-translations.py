"""Fill the Kyrgyz and Russian catalogues from translations/*.json, then delete those files.

Helpers working in parallel branches write their new strings' translations into
translations/<name>.json instead of the catalogues (which would conflict at every merge):

    {"English msgid": {"ky": "...", "ru": "..."},
     "singular msgid": {"plural": "plural msgid", "ky": ["..."], "ru": ["...", "...", "...", "..."]}}

Run after makemessages (README, "Development"): every entry of the catalogues whose msgid is in
a file gets that translation, fuzzy marks and previous msgids are dropped from it.
    .venv/bin/python scripts/merge-translations.py translations/*.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def unquote(text: str) -> str:
    return str(json.loads(text))  # the escapes of a PO string are those of JSON


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\n", "\\n") + '"'


def fields(block: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    key = None
    for line in block:
        match = KEYWORD.match(line)
        if match:
            key = match.group(1)
            found[key] = unquote(match.group(2))
        elif key and line.startswith('"'):
            found[key] += unquote(line)
        else:
            key = None
    return found


def translated(block: list[str], entry: dict, language: str, nplurals: int) -> list[str]:
    # Drop continuation lines that belonged to msgstr (they follow a msgstr keyword line).
    out: list[str] = []
    in_msgstr = False
    for line in block:
        if line.startswith("msgstr"):
            in_msgstr = True
            continue
        if in_msgstr and line.startswith('"'):
            continue
        in_msgstr = False
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        out.append(line)
    value = entry[language]
    if "plural" in entry:
        forms = value if isinstance(value, list) else [value]
        forms = (forms + [forms[-1]] * nplurals)[:nplurals]
        out += [f"msgstr[{i}] {quote(form)}" for i, form in enumerate(forms)]
    else:
        out.append(f"msgstr {quote(value)}")
    return out


def merge(po: Path, language: str, wanted: dict[str, dict]) -> int:
    text = po.read_text(encoding="utf-8")
    nplurals = int(re.search(r"nplurals=(\d+)", text).group(1))  # type: ignore[union-attr]
    blocks = [block.split("\n") for block in text.strip("\n").split("\n\n")]
    filled = 0
    for index, block in enumerate(blocks):
        msgid = fields(block).get("msgid")
        if msgid and msgid in wanted and language in wanted[msgid]:
            blocks[index] = translated(block, wanted[msgid], language, nplurals)
            filled += 1
    po.write_text("\n\n".join("\n".join(b) for b in blocks) + "\n", encoding="utf-8")
    return filled


def main(paths: list[str]) -> None:
    wanted: dict[str, dict] = {}
    for path in paths:
        wanted.update(json.loads(Path(path).read_text(encoding="utf-8")))
    for language in ("ky", "ru"):
        po = ROOT / "trustbox" / "locale" / language / "LC_MESSAGES" / "django.po"
        print(f"{language}: {merge(po, language, wanted)} of {len(wanted)} filled")


if __name__ == "__main__":
    main(sys.argv[1:])
