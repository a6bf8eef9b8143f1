"""The registry's documents: the export, the registration card, the case file, letters and
the reply sheet posted in the foyer.

The export carries only the plain fields of the registry, never anything decrypted. The
card, the case file and the letter are laid out from an appeal already decrypted by the
services (which audit the reading). Every text is written in the active language.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.box.envelope import Envelope, Writer
from trustbox.lib.dates import long_date
from trustbox.lib.docmodel import (
    Block,
    BulletList,
    Document,
    Fields,
    Heading,
    ListItem,
    Paragraph,
    SignatureBlock,
)
from trustbox.lib.docmodel_docx import render_docx
from trustbox.lib.docmodel_pdf import render_pdf
from trustbox.lib.spreadsheets import Cell, Row, Sheet, csv_lines, xlsx_bytes
from trustbox.registry.models import Appeal, Entry
from trustbox.registry.services import AppealFile

# Labels shared by the export's headings and the card's lines.
LABELS = {
    "number": gettext_lazy("Registration number"),
    "received_on": gettext_lazy("Received on"),
    "registered_on": gettext_lazy("Registered on"),
    "source": gettext_lazy("Source"),
    "kind": gettext_lazy("Kind"),
    "category": gettext_lazy("Category"),
    "urgent": gettext_lazy("Urgent"),
    "status": gettext_lazy("Status"),
    "assignee": gettext_lazy("Assigned to"),
    "due_on": gettext_lazy("Answer by"),
    "answered_on": gettext_lazy("Answered on"),
    "outcome": gettext_lazy("Outcome"),
    "closed_on": gettext_lazy("Closed on"),
    "overdue": gettext_lazy("Overdue"),
}
EXPORT_COLUMNS = tuple(LABELS)
NONE = "—"


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _day(value: datetime.date | None) -> str:
    """A date written out in the active language, or a dash."""
    if value is None:
        return NONE
    return long_date(value, translation.get_language() or settings.LANGUAGE_CODE)


# --- the export: plain fields only -----------------------------------------------------------


def export_headings() -> list[str]:
    return [str(LABELS[column]) for column in EXPORT_COLUMNS]


def export_row(appeal: Appeal, today: datetime.date) -> list[Cell]:
    """One appeal's line of the export; dates stay dates for the spreadsheet."""
    return [
        appeal.number,
        appeal.received_on,
        appeal.registered_on,
        appeal.get_source_display(),
        appeal.get_kind_display(),
        appeal.get_category_display(),
        _yes_no(appeal.urgent),
        appeal.get_status_display(),
        appeal.assignee.full_name if appeal.assignee else "",
        appeal.due_on,
        appeal.answered_on,
        appeal.get_outcome_display(),
        appeal.closed_on,
        _yes_no(appeal.is_overdue(today)),
    ]


def _export_rows(appeals: Iterable[Appeal], today: datetime.date) -> Iterator[Row]:
    yield export_headings()
    for appeal in appeals:
        yield export_row(appeal, today)


def export_csv(appeals: Iterable[Appeal], *, language: str) -> Iterator[bytes]:
    """The export as CSV lines, streamed, as Kyrgyz and Russian Excel opens them (BOM, `;`)."""
    with translation.override(language):
        today = timezone.localdate()
        yield from csv_lines(_export_rows(appeals, today))


def export_xlsx(appeals: Iterable[Appeal], *, school_name: str, language: str) -> bytes:
    """The export as an Excel workbook: filter, frozen header, fitted columns, A4 landscape."""
    with translation.override(language):
        today = timezone.localdate()
        return xlsx_bytes(
            Sheet(
                title=_("Registry of appeals"),
                owner=school_name,
                language=language,
                rows=list(_export_rows(appeals, today)),
                tab=_("Registry"),
            )
        )


# --- the registration card --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CardText:
    """The card's lines, in one language, shared by the PDF, the DOCX and the case file."""

    title: str
    school: str
    facts: list[tuple[str, str]]


def _from_whom(writer: Writer | None) -> str:
    if writer is None:
        return _("anonymous")
    return ", ".join(part for part in (writer.name, writer.class_or_role) if part)


def card_text(*, school_name: str, appeal: Appeal, envelope: Envelope) -> CardText:
    """The registration card: the appeal's facts and who wrote it, never its text."""
    writer = envelope.writer
    return CardText(
        title=_("Registration card of appeal № %(number)s") % {"number": appeal.number},
        school=school_name,
        facts=[
            (str(LABELS["number"]), appeal.number),
            (str(LABELS["received_on"]), _day(appeal.received_on)),
            (str(LABELS["registered_on"]), _day(appeal.registered_on)),
            (str(LABELS["due_on"]), _day(appeal.due_on)),
            (str(LABELS["source"]), appeal.get_source_display()),
            (str(LABELS["kind"]), appeal.get_kind_display()),
            (str(LABELS["category"]), appeal.get_category_display()),
            (str(LABELS["urgent"]), _yes_no(appeal.urgent)),
            (_("From whom"), _from_whom(writer)),
            (_("Contact"), writer.contact if writer and writer.contact else NONE),
            (str(LABELS["assignee"]), appeal.assignee.full_name if appeal.assignee else NONE),
            (str(LABELS["status"]), appeal.get_status_display()),
            (str(LABELS["outcome"]), appeal.get_outcome_display() or NONE),
        ],
    )


def card_document(card: CardText) -> Document:
    """The registration card as the document model (call inside translation.override)."""
    return Document(
        title=card.title,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        school=card.school,
        blocks=(
            Heading(card.title, level=1),
            Paragraph(card.school, "centered"),
            Fields(tuple(card.facts), bordered=True),
        ),
    )


def card_pdf(card: CardText) -> bytes:
    """Lay out the registration card as an A4 PDF."""
    return render_pdf(card_document(card))[0]


def card_docx(card: CardText) -> bytes:
    """Write the registration card as a Word document the school can edit."""
    return render_docx(card_document(card))


# --- the case file ----------------------------------------------------------------------------


def _entry_heading(entry: Entry) -> str:
    kind = entry.get_kind_display()
    if entry.channel:
        kind = f"{kind} ({entry.get_channel_display()})"
    author = entry.author.full_name if entry.author else _("the writer")
    return f"{kind} · {_day(entry.created_on)} · {author}"


def case_file_pdf(*, school_name: str, appeal: Appeal, file: AppealFile) -> bytes:
    """Lay out the whole file of an appeal for the case folder: facts, text, every entry."""
    card = card_text(school_name=school_name, appeal=appeal, envelope=file.envelope)
    title = _("File of appeal № %(number)s") % {"number": appeal.number}
    attachments = [attachment.name for attachment in file.envelope.attachments]
    blocks: list[Block] = [
        *card_document(dataclasses.replace(card, title=title)).blocks,
        Heading(_("Text of the appeal")),
        Paragraph(file.envelope.text, "lines"),
    ]
    if attachments:
        blocks += [Heading(_("Attachments")), BulletList(tuple(map(ListItem, attachments)))]
    blocks.append(Heading(_("File of the appeal")))
    for entry, text in file.entries:
        blocks += [Heading(_entry_heading(entry), level=3), Paragraph(text, "lines")]
    if not file.entries:
        blocks.append(Paragraph(_("Nothing has been written in the file yet.")))
    language = translation.get_language() or settings.LANGUAGE_CODE
    document = Document(title=title, language=language, school=school_name, blocks=tuple(blocks))
    return render_pdf(document)[0]


# --- the reply letter -------------------------------------------------------------------------


def letter_pdf(
    *, school_name: str, appeal: Appeal, envelope: Envelope, reply: Entry, text: str
) -> bytes:
    """Lay out a reply to the writer as a letter to print, sign and hand over or post."""
    writer = envelope.writer
    if writer is None:
        addressee = [_("To the writer of appeal № %(number)s") % {"number": appeal.number}]
    else:
        addressee = [_("To: %(name)s") % {"name": _from_whom(writer)}]
        if writer.contact:
            addressee.append(writer.contact)
    subject = _("Re: appeal № %(number)s of %(date)s") % {
        "number": appeal.number,
        "date": _day(appeal.received_on),
    }
    author = reply.author.full_name if reply.author else ""
    document = Document(
        title=subject,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        school=school_name,
        blocks=(
            Paragraph(school_name),
            Paragraph(_day(reply.created_on), "right"),
            *(Paragraph(line, "addressee") for line in addressee),
            Paragraph(subject, "bold"),
            Paragraph(text, "lines"),
            SignatureBlock(((_("On behalf of the Trust Box commission"), author),)),
        ),
    )
    return render_pdf(document)[0]


# --- the reply sheet for the foyer -------------------------------------------------------------


def notice_document(*, school_name: str, appeal: Appeal, reply: Entry, text: str) -> Document:
    """A reply to post in the foyer, in large print: the appeal's number only, nothing of the
    writer (call inside translation.override)."""
    title = _("Reply of the Trust Box commission")
    return Document(
        title=title,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        school=school_name,
        large_print=True,
        blocks=(
            Paragraph(school_name),
            Paragraph(_day(reply.created_on), "right"),
            Heading(title, level=1),
            Paragraph(
                _("To the writer of appeal № %(number)s") % {"number": appeal.number}, "bold"
            ),
            Paragraph(text, "lines"),
            Paragraph(
                _(
                    "The commission answers here the writers of paper appeals who left neither "
                    "a name nor a receipt. Only the writer knows which appeal is theirs."
                )
            ),
        ),
    )


def notice_pdf(*, school_name: str, appeal: Appeal, reply: Entry, text: str) -> bytes:
    """Lay out a reply to post in the foyer: the appeal's number only, nothing of the writer."""
    document = notice_document(school_name=school_name, appeal=appeal, reply=reply, text=text)
    return render_pdf(document)[0]
