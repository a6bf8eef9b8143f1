"""The act of removal (Annex 1) and the journal of openings, as PDF and DOCX.

The data is built by `records.py`; this module only lays it out. No appeal text ever
reaches these documents: the act lists who wrote and where to answer, as Annex 1 asks.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.lib.dates import Case, long_date, long_date_in_text
from trustbox.lib.docmodel import (
    BulletList,
    Cell,
    Code,
    Column,
    Document,
    Heading,
    ListItem,
    Paragraph,
    SignatureBlock,
    Table,
    Text,
)
from trustbox.lib.docmodel_docx import render_docx
from trustbox.lib.docmodel_pdf import render_pdf
from trustbox.openings.findings import Coded, Fingerprints, Heads, finding, fingerprints


@dataclasses.dataclass(frozen=True)
class ActRow:
    number: int
    from_whom: str  # "" for an anonymous appeal
    return_address: str
    note: str


@dataclasses.dataclass(frozen=True)
class ActData:
    school_name: str
    opened_at: datetime.datetime
    damage: list[str]  # what the check of the digital seal found wrong; empty: it is whole
    box_note: str
    rows: list[ActRow]
    copies: int
    members: list[str]
    chair: str
    director: str
    heads: Heads | None = None
    online: int = 0
    paper: int = 0
    # Appeals their writers took back before the opening, set aside unread: (place, day).
    withdrawn: list[tuple[int, datetime.date]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class JournalEntry:
    number: int
    held_on: datetime.date
    actions: str
    appeals: str
    seal_code: str
    signers: list[str]  # the members present
    heads: Heads | None = None
    damage: list[str] = dataclasses.field(default_factory=list)  # what the seal check found
    chair: str = ""  # the chair signs once, as chair, even when present (as in the act)


@dataclasses.dataclass(frozen=True)
class ActText:
    """Every sentence of the act, in one language, shared by the PDF and the DOCX."""

    title: str
    school: str
    body: str
    box_note: str  # the state of the box in the foyer and its seals, as noted; may be ""
    finding: Coded  # whether the seal and the audit log were found whole; the new seal code
    damage: list[str]  # what the check found, when the seal is broken
    appeals: str  # how many appeals were in the box
    list_heading: str
    columns: list[str]
    rows: list[list[str]]
    drawn_up: str
    signatures: list[tuple[str, str]]  # (role, name): the name is written under the line
    fingerprints: Fingerprints | None = None  # the small appendix line for the operator
    withdrawn: str = ""  # how many appeals their writers took back, set aside unread
    withdrawn_rows: list[str] = dataclasses.field(default_factory=list)  # one line each


def _withdrawn(data: ActData, language: str) -> tuple[str, list[str]]:
    """The appeals taken back by their writers: a sentence, and a line for each (place, day)."""
    if not data.withdrawn:
        return "", []
    count = len(data.withdrawn)
    sentence = ngettext(
        "%(count)d appeal was withdrawn by its writer before the opening; it was set aside "
        "unread and is not among the appeals found:",
        "%(count)d appeals were withdrawn by their writers before the opening; they were set "
        "aside unread and are not among the appeals found:",
        count,
    ) % {"count": count}
    rows = [
        _("№ %(seq)d in the box, received on %(day)s: withdrawn by its writer.")
        % {"seq": seq, "day": long_date_in_text(day, language, Case.LOCATIVE)}
        for seq, day in data.withdrawn
    ]
    return sentence, rows


def _appeals_found(data: ActData) -> str:
    count = len(data.rows)
    if not count:
        return _("No appeal was found in the box.")
    return ngettext(
        "%(count)d appeal was found in the box (online: %(online)d, paper: %(paper)d).",
        "%(count)d appeals were found in the box (online: %(online)d, paper: %(paper)d).",
        count,
    ) % {"count": count, "online": data.online, "paper": data.paper}


def _drawn_up(sheets: int | None, copies: int) -> str:
    return _("The act is drawn up %(on_sheets)s %(in_copies)s.") % {
        "on_sheets": ngettext("on %(count)d sheet", "on %(count)d sheets", sheets)
        % {"count": sheets}
        if sheets
        else _("on ____ sheets"),
        "in_copies": ngettext("in %(count)d copy", "in %(count)d copies", copies)
        % {"count": copies},
    }


def _signatures(data: ActData) -> list[tuple[str, str]]:
    """The members present, then the chair (once, as chair, even when present), the director."""
    members = [name for name in data.members if not data.chair or name != data.chair]
    return [
        *((_("Member of the commission"), name) for name in members),
        (_("Chair of the commission"), data.chair),
        (_("School director"), data.director),
    ]


def act_text(data: ActData, sheets: int | None) -> ActText:
    """Write the act's sentences in the active language (call inside translation.override).

    As a school writes it: the day and «саат 18:37», in one sentence whether the digital seal
    and the audit log were found whole (and what the check found if not) with the new seal
    code, how many appeals were in the box; the chains' fingerprints in a small last line.
    """
    local = timezone.localtime(data.opened_at)
    language = translation.get_language() or settings.LANGUAGE_CODE
    withdrawn, withdrawn_rows = _withdrawn(data, language)
    return ActText(
        title=_("Act of removal of citizens' appeals from the Trust Box, %(date)s")
        % {"date": long_date(local.date(), language)},
        school=data.school_name,
        body=_(
            "In accordance with the regulation on the Trust Box installed in the foyer of the "
            "school building, on %(date)s at %(time)s the Trust Box for collecting citizens' "
            "appeals was opened. Found:"
        )
        % {
            "date": long_date_in_text(local.date(), language, Case.LOCATIVE),
            "time": f"{local.hour:02d}:{local.minute:02d}",
        },
        box_note=_("The box in the foyer and its seals: %(note)s") % {"note": data.box_note}
        if data.box_note
        else "",
        finding=finding(damaged=bool(data.damage), heads=data.heads),
        damage=data.damage,
        appeals=_appeals_found(data),
        list_heading=_("List of appeals received"),
        columns=[_("№"), _("From whom the appeal came"), _("Return address"), _("Note")],
        rows=[
            [str(row.number), row.from_whom or _("anonymous"), row.return_address, row.note]
            for row in data.rows
        ],
        drawn_up=_drawn_up(sheets, data.copies),
        signatures=_signatures(data),
        fingerprints=fingerprints(data.heads),
        withdrawn=withdrawn,
        withdrawn_rows=withdrawn_rows,
    )


def coded(value: Coded, *, mono: bool = False) -> Text:
    """A sentence with its code kept on one line, as the document model writes it."""
    before, marker, after = value.sentence.partition("%(code)s")
    if not marker:
        return value.sentence
    return (before, Code(value.code, mono=mono), after)


def fingerprints_text(line: Fingerprints) -> Text:
    """The appendix line of fingerprints, each head on one line in the fixed font."""
    pieces: list[str | Code] = [line.lead]
    for index, (words, head) in enumerate(line.parts):
        pieces.append("; " if index else " ")
        pieces.append(words)
        if head:
            pieces += [" ", Code(head, mono=True)]
    pieces.append(".")
    return tuple(pieces)


def _fingerprint_blocks(lines: list[Fingerprints | None]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(fingerprints_text(line), "small") for line in lines if line)


def act_document(data: ActData, *, sheets: int | None, language: str) -> Document:
    """The act of removal as the document model (call inside translation.override)."""
    text = act_text(data, sheets=sheets)
    notes = [ListItem(text.box_note)] if text.box_note else []
    withdrawn = [ListItem(text.withdrawn, tuple(text.withdrawn_rows))] if text.withdrawn else []
    widths = (1, 5, 5, 4)
    return Document(
        title=text.title,
        language=language,
        archival=True,
        school=text.school,
        blocks=(
            Heading(text.title, level=1),
            Paragraph(text.school, "centered"),
            Paragraph(text.body),
            BulletList(
                (
                    *notes,
                    ListItem(coded(text.finding), tuple(text.damage)),
                    ListItem(text.appeals),
                    *withdrawn,
                )
            ),
            Heading(text.list_heading),
            Table(
                columns=tuple(
                    Column(title, width, centered=index == 0)
                    for index, (title, width) in enumerate(zip(text.columns, widths, strict=True))
                ),
                rows=tuple(tuple(row) for row in text.rows),
            ),
            Paragraph(text.drawn_up, keep_with_next=True),
            SignatureBlock(tuple(text.signatures)),
            *_fingerprint_blocks([text.fingerprints]),
        ),
    )


def _act_sheets(data: ActData, language: str) -> int:
    """How many A4 sheets the act takes, counted by laying it out once."""
    return render_pdf(act_document(data, sheets=99, language=language))[1]


def act_pdf(*, data: ActData, language: str) -> bytes:
    """Lay out the act of removal as an A4 PDF in the given language."""
    with translation.override(language):
        sheets = _act_sheets(data, language)
        return render_pdf(act_document(data, sheets=sheets, language=language))[0]


def act_docx(*, data: ActData, language: str) -> bytes:
    """Write the act of removal as a Word document the school can edit."""
    with translation.override(language):
        sheets = _act_sheets(data, language)
        return render_docx(act_document(data, sheets=sheets, language=language))


@dataclass(frozen=True)
class JournalRow:
    number: int
    actions: str  # the day and what was done
    finding: Coded  # whether the seal and the audit log were found whole; the new seal code
    damage: list[str]  # what the check of the seal found, when it is broken
    after: str  # what follows the new seal
    appeals: str
    signers: list[str]  # each line of the signature column: a name and the line to sign on
    fingerprints: Fingerprints | None = None  # for the appendix under the table

    def text(self) -> Text:
        """What was done, the finding with its seal code on one line, what follows."""
        damage = tuple(f" {line}" for line in self.damage)
        finding = coded(self.finding)
        finding = (finding,) if isinstance(finding, str) else finding
        return (f"{self.actions} ", *finding, *damage, f" {self.after}")


def _sentence_end(text: str) -> str:
    """The text ending a sentence: one period, also after «2026 г.»."""
    return text if text.endswith(".") else text + "."


def _journal_signers(entry: JournalEntry) -> list[str]:
    """The members present, then the chair once, as chair (the act's rule): no name twice."""
    lines = [f"{name} ________" for name in entry.signers if name != entry.chair]
    if entry.chair:
        role = _("Chair")  # outside the f-string, where makemessages finds it
        lines.append(f"{role}: {entry.chair} ________")
    return lines


def _journal_context(
    *, school_name: str, entries: list[JournalEntry], period: str
) -> dict[str, Any]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "title": _("Journal of openings of the Trust Box"),
        "school_name": school_name,
        "period": period,
        "columns": [
            _("№"),
            _("Actions carried out"),
            _("Citizens' appeals"),
            _("Signatures of commission members"),
        ],
        "rows": [
            JournalRow(
                number=entry.number,
                actions=" ".join(
                    [_sentence_end(long_date(entry.held_on, language)), entry.actions]
                ),
                finding=finding(
                    damaged=bool(entry.damage), heads=entry.heads, code=entry.seal_code
                ),
                damage=entry.damage,
                after=_("After that the box is sealed again."),
                appeals=entry.appeals,
                signers=_journal_signers(entry),
                fingerprints=fingerprints(entry.heads, number=entry.number),
            )
            for entry in entries
        ],
        "empty": _("The box has not been opened in this period."),
    }


def journal_document(
    *, school_name: str, entries: list[JournalEntry], language: str, period: str = ""
) -> Document:
    """The journal of openings (cl. 3.3, 5.2) as the document model: A4 landscape."""
    context = _journal_context(school_name=school_name, entries=entries, period=period)
    rows: list[JournalRow] = context["rows"]
    widths = (1, 14, 4, 7)
    return Document(
        title=str(context["title"]),
        language=language,
        archival=True,
        school=school_name,
        orientation="landscape",
        blocks=(
            Heading(str(context["title"]), level=1),
            Paragraph(school_name, "centered"),
            *((Paragraph(period, "centered"),) if period else ()),
            Table(
                columns=tuple(
                    Column(str(title), width, centered=index == 0)
                    for index, (title, width) in enumerate(
                        zip(context["columns"], widths, strict=True)
                    )
                ),
                rows=tuple(
                    (
                        str(row.number),
                        row.text(),
                        row.appeals,
                        Cell(tuple(row.signers)),
                    )
                    for row in rows
                ),
                empty=str(context["empty"]),
            ),
            *_fingerprint_blocks([row.fingerprints for row in rows]),
        ),
    )


def journal_pdf(
    *, school_name: str, entries: list[JournalEntry], language: str, period: str = ""
) -> bytes:
    """Lay out the journal of openings (cl. 3.3, 5.2) as an A4 landscape PDF."""
    with translation.override(language):
        document = journal_document(
            school_name=school_name, entries=entries, language=language, period=period
        )
        return render_pdf(document)[0]


def journal_docx(
    *, school_name: str, entries: list[JournalEntry], language: str, period: str = ""
) -> bytes:
    """Write the journal of openings as a Word document, A4 landscape as its PDF."""
    with translation.override(language):
        document = journal_document(
            school_name=school_name, entries=entries, language=language, period=period
        )
        return render_docx(document)
