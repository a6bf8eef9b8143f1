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
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.lib.dates import Case, long_date, long_date_in_text, one_period
from trustbox.lib.documents import docx_bytes, docx_new, docx_signatures, docx_table, pdf_render


@dataclasses.dataclass(frozen=True)
class Heads:
    """The heads of the chains at an opening, to compare by eye with the daily digests."""

    box_count: int  # appeals sealed into the box since it was made
    box_code: str
    log_count: int | None  # None: the log's own entry of this opening is missing
    log_code: str


@dataclass(frozen=True)
class Coded:
    """A sentence with a code in it: plain for the DOCX; for the PDF, the code on one line."""

    sentence: str  # translated, every value filled in but "%(code)s"
    code: str

    @property
    def text(self) -> str:
        return self.sentence.replace("%(code)s", self.code)

    @property
    def html(self) -> SafeString:
        before, marker, after = self.sentence.partition("%(code)s")
        if not marker:
            return format_html("{}", self.sentence)
        return format_html('{}<span class="code">{}</span>{}', before, self.code, after)


def heads_lines(heads: Heads | None, *, seal: bool = True) -> list[Coded]:
    """Say the heads of the box and of the audit log, in the active language.

    Without seal, the box's code is left out: the journal says it already ("New seal code").
    """
    if heads is None:
        return []
    lines = [
        Coded(
            _("Appeals sealed into the box since it was made: %(count)d; its seal code: %(code)s.")
            % {"count": heads.box_count, "code": "%(code)s"},
            heads.box_code,
        )
        if seal
        else Coded(
            _("Appeals sealed into the box since it was made: %(count)d.")
            % {"count": heads.box_count},
            "",
        )
    ]
    if heads.log_count is None:
        lines.append(
            Coded(
                _(
                    "The audit log's entry of this opening is missing: the log was cut short "
                    "after the opening."
                ),
                "",
            )
        )
    else:
        lines.append(
            Coded(
                _("Entries in the audit log: %(count)d; its head code: %(code)s.")
                % {"count": heads.log_count, "code": "%(code)s"},
                heads.log_code,
            )
        )
    return lines


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


@dataclasses.dataclass(frozen=True)
class JournalEntry:
    number: int
    held_on: datetime.date
    actions: str
    appeals: str
    seal_code: str
    signers: list[str]
    heads: Heads | None = None


@dataclasses.dataclass(frozen=True)
class ActText:
    """Every sentence of the act, in one language, shared by the PDF and the DOCX."""

    title: str
    school: str
    body: str
    box_note: str  # the state of the box in the foyer and its seals, as noted; may be ""
    seal: str  # whether the check of the digital seal found the box whole
    damage: list[str]  # what the check found, when the seal is broken
    appeals: str  # how many appeals were in the box
    heads: list[Coded]
    list_heading: str
    columns: list[str]
    rows: list[list[str]]
    drawn_up: str
    signatures: list[tuple[str, str]]  # (role, name): the name is written under the line


def act_text(data: ActData, sheets: int | None) -> ActText:
    """Write the act's sentences in the active language (call inside translation.override).

    As a school writes it: the day and «саат 18:37», whether the digital seal was found whole
    (and what the check found if not), how many appeals were in the box.
    """
    local = timezone.localtime(data.opened_at)
    language = translation.get_language() or settings.LANGUAGE_CODE
    count = len(data.rows)
    signatures = [(_("Member of the commission"), name) for name in data.members]
    signatures.append((_("Chair of the commission"), data.chair))
    signatures.append((_("School director"), data.director))
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
        seal=_("The digital seal is broken. The check found:")
        if data.damage
        else _(
            "The digital seal is whole: since the last opening no appeal was taken out of the "
            "box, changed, added or put out of order."
        ),
        damage=data.damage,
        appeals=ngettext(
            "%(count)d appeal was found in the box (online: %(online)d, paper: %(paper)d).",
            "%(count)d appeals were found in the box (online: %(online)d, paper: %(paper)d).",
            count,
        )
        % {"count": count, "online": data.online, "paper": data.paper}
        if count
        else _("No appeal was found in the box."),
        heads=heads_lines(data.heads),
        list_heading=_("List of appeals received"),
        columns=[_("№"), _("From whom the appeal came"), _("Return address"), _("Note")],
        rows=[
            [str(row.number), row.from_whom or _("anonymous"), row.return_address, row.note]
            for row in data.rows
        ],
        drawn_up=_("The act is drawn up %(on_sheets)s %(in_copies)s.")
        % {
            "on_sheets": ngettext("on %(count)d sheet", "on %(count)d sheets", sheets)
            % {"count": sheets}
            if sheets
            else _("on ____ sheets"),
            "in_copies": ngettext("in %(count)d copy", "in %(count)d copies", data.copies)
            % {"count": data.copies},
        },
        signatures=signatures,
    )


def _act_sheets(data: ActData) -> int:
    """How many A4 sheets the act takes, counted by laying it out once."""
    return pdf_render("openings/act_document.html", {"act": act_text(data, sheets=99)})[1]


def act_pdf(*, data: ActData, language: str) -> bytes:
    """Lay out the act of removal as an A4 PDF in the given language."""
    with translation.override(language):
        sheets = _act_sheets(data)
        return pdf_render(
            "openings/act_document.html",
            {"act": act_text(data, sheets=sheets), "language": language},
        )[0]


def act_docx(*, data: ActData, language: str) -> bytes:
    """Write the act of removal as a Word document the school can edit."""
    with translation.override(language):
        text = act_text(data, sheets=_act_sheets(data))
        document = docx_new()
        document.add_heading(text.title, level=1)
        document.add_paragraph(text.school)
        document.add_paragraph(text.body)
        if text.box_note:
            document.add_paragraph(text.box_note, style="List Bullet")
        document.add_paragraph(text.seal, style="List Bullet")
        for damage in text.damage:
            document.add_paragraph(damage, style="List Bullet 2")
        for line in [text.appeals, *(coded.text for coded in text.heads)]:
            document.add_paragraph(line, style="List Bullet")
        document.add_heading(text.list_heading, level=2)
        docx_table(document, text.columns, text.rows)
        document.add_paragraph(text.drawn_up)
        docx_signatures(document, text.signatures)
        return docx_bytes(document)


@dataclass(frozen=True)
class JournalRow:
    number: int
    actions: str  # the day and what was done
    seal_code: str
    after: str  # what follows the new seal
    appeals: str
    signers: list[str]
    heads: list[Coded] = dataclasses.field(default_factory=list)

    @property
    def seal_sentence(self) -> str:
        return _("New seal code: %(code)s.") % {"code": self.seal_code}

    @property
    def seal_html(self) -> SafeString:
        """The sentence with the code kept on one line, to be compared by eye."""
        before, _marker, after = _("New seal code: %(code)s.").partition("%(code)s")
        return format_html('{}<span class="code">{}</span>{}', before, self.seal_code, after)

    def text(self) -> str:
        return " ".join(
            [self.actions, self.seal_sentence, *(line.text for line in self.heads), self.after]
        )


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
                actions=one_period(f"{long_date(entry.held_on, language)}. {entry.actions}"),
                seal_code=entry.seal_code,
                after=_("After that the box is sealed again."),
                appeals=entry.appeals,
                signers=entry.signers,
                heads=heads_lines(entry.heads, seal=False),
            )
            for entry in entries
        ],
        "empty": _("The box has not been opened in this period."),
    }


def journal_pdf(
    *, school_name: str, entries: list[JournalEntry], language: str, period: str = ""
) -> bytes:
    """Lay out the journal of openings (cl. 3.3, 5.2) as an A4 landscape PDF."""
    with translation.override(language):
        context = _journal_context(school_name=school_name, entries=entries, period=period)
        return pdf_render("openings/journal_document.html", {**context, "language": language})[0]


def journal_docx(
    *, school_name: str, entries: list[JournalEntry], language: str, period: str = ""
) -> bytes:
    """Write the journal of openings as a Word document."""
    with translation.override(language):
        context = _journal_context(school_name=school_name, entries=entries, period=period)
        document = docx_new()
        document.add_heading(str(context["title"]), level=1)
        document.add_paragraph(school_name)
        if period:
            document.add_paragraph(period)
        rows: list[JournalRow] = context["rows"]
        docx_table(
            document,
            [str(column) for column in context["columns"]],
            [
                [
                    str(row.number),
                    row.text(),
                    row.appeals,
                    "\n".join(f"{name} ________" for name in row.signers),
                ]
                for row in rows
            ],
        )
        if not rows:
            document.add_paragraph(str(context["empty"]))
        return docx_bytes(document)
