"""The protocol as people read it: on its page, as PDF and as DOCX, in Kyrgyz, Russian or English.

Everything is written from the protocol's signed content (content.py), never from the meeting,
so that the page and the printout say exactly what the members signed. The printout carries
the verification code, its QR and the fingerprint, so that a paper copy can be checked later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.lib.dates import long_date
from trustbox.lib.docmodel import (
    Block,
    BulletList,
    Code,
    Column,
    Document,
    Fields,
    Heading,
    ListItem,
    Paragraph,
    QrCode,
    Table,
)
from trustbox.lib.docmodel_docx import render_docx
from trustbox.lib.docmodel_pdf import render_pdf
from trustbox.meetings.agenda import agenda_item_text
from trustbox.meetings.content import content_has_sealed, fingerprint_short
from trustbox.meetings.models import Protocol, Signature
from trustbox.meetings.sealing import RecordOpener, is_sealed
from trustbox.meetings.selectors import ProtocolCheck, protocol_check

LANGUAGES = ("ky", "ru", "en")


def verify_link(protocol: Protocol) -> str:
    return settings.SITE_URL + reverse("verify:protocol", args=[protocol.verify_code_display])


def verify_qr(protocol: Protocol, *, scale: int = 4) -> str:
    return segno.make(verify_link(protocol), error="m").svg_data_uri(scale=scale)


@dataclass(frozen=True)
class ProtocolText:
    """Every sentence of a protocol in one language, shared by the page, the PDF and the DOCX."""

    title: str
    school: str
    facts: list[tuple[str, str]]
    corrects: list[str]
    present_heading: str
    present: list[str]
    absent_heading: str
    absent: list[str]
    quorum: str
    agenda_heading: str
    agenda: list[str]
    votes_heading: str
    votes_columns: list[str]
    votes: list[list[str]]
    outcome: str
    decisions_heading: str
    decisions: list[str]
    text_heading: str
    text: list[str]
    signatures_heading: str
    signatures_note: str
    signature_columns: list[str]
    signatures: list[list[str]]
    verify_heading: str
    verify: str
    code: str
    link: str
    fingerprint: str
    # Something of it is sealed and was not opened: the page says so instead of showing it.
    sealed: bool = False


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _date(iso: str) -> str:
    return long_date(datetime.date.fromisoformat(iso), _language())


def _person(row: dict[str, Any]) -> str:
    return f"{row['name']}, {row['position']}" if row.get("position") else str(row["name"])


def _words(value: Any, opener: RecordOpener | None) -> str | None:
    """A piece of free text: opened, as it is if in clear, or None if sealed and not opened."""
    if not is_sealed(value):
        return str(value or "")
    return opener.text(value) if opener is not None else None


def _agenda_row(row: dict[str, Any], opener: RecordOpener | None) -> str:
    title = _words(row["title"], opener)
    named = agenda_item_text(kind=row["kind"], reference=row["reference"], title=title or "")
    if title is None:
        named = _("%(item)s (sealed)") % {"item": named} if named else _("(sealed)")
    return f"{row['n']}. {named}"


def protocol_check_opened(protocol: Protocol, opener: RecordOpener | None) -> ProtocolCheck:
    """The protocol's check, in full (earlier signatures too) when the reader opened it."""
    return protocol_check(protocol, opener.content(protocol.content) if opener else None)


def _decision(row: dict[str, Any]) -> str:
    votes = _("Vote: for %(for)d, against %(against)d, abstained %(abstained)d.") % {
        "for": row["for"],
        "against": row["against"],
        "abstained": row["abstained"],
    }
    verdict = _("Adopted.") if row["adopted"] else _("Not adopted.")
    item = _("(item %(n)s) ") % {"n": row["item"]} if row.get("item") else ""
    text = str(row["text"]).rstrip()
    if not text.endswith((".", "!", "?")):
        text += "."
    return f"{row['n']}. {item}{text} {votes} {verdict}"


def _signed_how(signature: Signature) -> str:
    if signature.method == Signature.Method.DIGITAL:
        return _("digital signature")
    return _("on paper, scan attached")


def _title(content: dict[str, Any], first_session: bool) -> str:
    return (
        _("Protocol № %(number)s of the first session of the Trust Box commission")
        if first_session
        else _("Protocol № %(number)s of the meeting of the Trust Box commission")
    ) % {"number": content["number"]}


def _facts(content: dict[str, Any], first_session: bool) -> list[tuple[str, str]]:
    """Date, time, place, the order appointing the commission, the chair and the secretary."""
    facts = [(_("Date"), _date(content["date"]))]
    if content["time"]:
        facts.append((_("Time"), content["time"]))
    if content["place"]:
        facts.append((_("Place"), content["place"]))
    facts.append(
        (
            _("Commission"),
            _("appointed by order № %(number)s of %(date)s")
            % {"number": content["order"]["number"], "date": _date(content["order"]["date"])},
        )
    )
    if content["chair"] and not first_session:
        facts.append((_("Chair"), content["chair"]))
    if content["secretary"] and not first_session:
        facts.append((_("Secretary"), content["secretary"]))
    return facts


def _corrects(content: dict[str, Any], opener: RecordOpener | None) -> list[str]:
    """Which protocol this one corrects, and (if opened) what the correction changes."""
    if not content.get("corrects"):
        return []
    old = content["corrects"]
    corrects = [
        _("This protocol corrects protocol № %(number)s of %(year)s (fingerprint %(fp)s).")
        % {
            "number": old["number"],
            "year": old["year"],
            "fp": fingerprint_short(old["fingerprint"]),
        }
    ]
    reason = _words(content.get("correction"), opener)
    if reason:
        corrects.append(_("The correction: %(reason)s") % {"reason": reason})
    return corrects


def _quorum(members: list[dict[str, Any]], present: int) -> str:
    quorum = ngettext(
        "Present: %(present)d of %(size)d member.",
        "Present: %(present)d of %(size)d members.",
        len(members),
    ) % {"present": present, "size": len(members)}
    return (
        quorum
        + " "
        + (
            _("There is a quorum (more than half of the members).")
            if present * 2 > len(members)
            else _("There is no quorum: the meeting could not decide.")
        )
    )


def _outcome(content: dict[str, Any], first_session: bool) -> str:
    if first_session and content["chair"]:
        return _("Elected by open vote: chair %(chair)s, secretary %(secretary)s.") % {
            "chair": content["chair"],
            "secretary": content["secretary"],
        }
    return ""


def _signature_rows(check: ProtocolCheck) -> list[list[str]]:
    """Each signer's row (name, how signed, date), and each missing signer's, by name."""
    rows: list[tuple[str, list[str]]] = [
        (
            item.signature.member.full_name,
            [
                item.signature.member.full_name,
                _signed_how(item.signature),
                long_date(timezone.localtime(item.signature.signed_at).date(), _language()),
            ],
        )
        for item in check.checks
    ]
    rows += [(m.member.full_name, [m.member.full_name, "", ""]) for m in check.missing]
    return [row for _name, row in sorted(rows, key=lambda pair: pair[0].casefold())]


def _record(content: dict[str, Any], opener: RecordOpener | None, withheld: bool) -> dict[str, Any]:
    """The agenda, the open vote, the decisions and the course of the meeting."""
    return {
        "agenda_heading": _("Agenda"),
        "agenda": [_agenda_row(row, opener) for row in content["agenda"]],
        "votes_heading": _("Open vote"),
        "votes_columns": [_("Member"), _("Voted for chair"), _("Voted for secretary")],
        "votes": [
            [row["voter"], row.get("chair", ""), row.get("secretary", "")]
            for row in content["votes"]
        ],
        "decisions_heading": _("Decisions"),
        "decisions": []
        if withheld
        else [
            _decision({**row, "text": _words(row["text"], opener)}) for row in content["decisions"]
        ],
        "text_heading": _("Course of the meeting"),
        "text": [
            paragraph
            for paragraph in (_words(content["text"], opener) or "").splitlines()
            if paragraph.strip()
        ],
    }


def _verification(protocol: Protocol, check: ProtocolCheck) -> dict[str, Any]:
    """The signatures' headings and how anyone checks the protocol (link, code, fingerprint)."""
    link = verify_link(protocol)
    return {
        "signatures_heading": _("Signatures of the members of the commission"),
        "signatures_note": _("Every member of the commission signs the protocol (cl. 4.3)."),
        "signature_columns": [_("Member"), _("How signed"), _("Date")],
        "signatures": _signature_rows(check),
        "verify_heading": _("Verification"),
        "verify": _(
            "Anyone can check who signed this protocol and whether its text is unchanged: open "
            "%(link)s or scan the QR code."
        )
        % {"link": link},
        "code": protocol.verify_code_display,
        "link": link,
        "fingerprint": fingerprint_short(check.fingerprint),
    }


def protocol_text(
    protocol: Protocol, check: ProtocolCheck | None = None, opener: RecordOpener | None = None
) -> ProtocolText:
    """Write the protocol's sentences in the active language (call inside translation.override).

    Its sealed words are written only if `opener` opens them; else the text says they are sealed.
    """
    check = check or protocol_check_opened(protocol, opener)
    content = protocol.content
    withheld = content_has_sealed(content) and opener is None
    first_session = content["kind"] == "first_session"
    members = content["members"]
    present = [_person(row) for row in members if row["present"]]
    return ProtocolText(
        title=_title(content, first_session),
        school=content["school"],
        facts=_facts(content, first_session),
        corrects=_corrects(content, opener),
        present_heading=_("Present"),
        present=present,
        absent_heading=_("Absent"),
        absent=[_person(row) for row in members if not row["present"]],
        quorum=_quorum(members, len(present)),
        outcome=_outcome(content, first_session),
        sealed=withheld,
        **_record(content, opener, withheld),
        **_verification(protocol, check),
    )


def _record_blocks(text: ProtocolText) -> list[Block]:
    """The agenda, the open vote, its outcome, the decisions and the course of the meeting."""
    blocks: list[Block] = [Heading(text.agenda_heading)]
    blocks += [Paragraph(item) for item in text.agenda or ["—"]]
    if text.votes:
        blocks += [
            Heading(text.votes_heading),
            Table(
                columns=tuple(
                    Column(title, width)
                    for title, width in zip(text.votes_columns, (2, 1.5, 1.5), strict=True)
                ),
                rows=tuple(tuple(row) for row in text.votes),
            ),
        ]
    if text.outcome:
        blocks.append(Paragraph(text.outcome, "bold"))
    if text.decisions:
        blocks += [Heading(text.decisions_heading), *map(Paragraph, text.decisions)]
    if text.text:
        blocks += [Heading(text.text_heading), *map(Paragraph, text.text)]
    return blocks


def _signature_blocks(text: ProtocolText) -> list[Block]:
    """The signatures' table, kept on one page with its heading; then how to check the protocol."""
    columns = [*text.signature_columns, _("Signature")]
    return [
        Heading(text.signatures_heading),
        Paragraph(text.signatures_note, keep_with_next=True),
        Table(
            columns=tuple(
                Column(title, width) for title, width in zip(columns, (3.5, 2.5, 3, 2), strict=True)
            ),
            rows=tuple((*row, "") for row in text.signatures),
            keep_together=True,
            row_height_mm=9,
        ),
        QrCode(
            text.link,
            caption=(
                text.verify_heading,
                text.verify,
                (_("Verification code") + ": ", Code(text.code, mono=True)),
                (_("Fingerprint") + ": ", Code(text.fingerprint, mono=True)),
            ),
        ),
    ]


def protocol_document(text: ProtocolText, language: str) -> Document:
    """The protocol as the document model (call inside translation.override)."""
    blocks: list[Block] = [
        Heading(text.title, level=1),
        Paragraph(text.school, "centered"),
        Fields(tuple(text.facts)),
        *map(Paragraph, text.corrects),
        Heading(text.present_heading),
        BulletList(tuple(map(ListItem, text.present or ["—"])), numbered=True),
    ]
    if text.absent:
        blocks += [
            Heading(text.absent_heading),
            BulletList(tuple(map(ListItem, text.absent)), numbered=True),
        ]
    blocks.append(Paragraph(text.quorum))
    return Document(
        title=text.title,
        language=language,
        archival=True,
        school=text.school,
        footer=text.code,
        blocks=(*blocks, *_record_blocks(text), *_signature_blocks(text)),
    )


def protocol_pdf(*, protocol: Protocol, language: str, opener: RecordOpener | None) -> bytes:
    """Lay out the protocol as an A4 PDF in the given language, its sealed words opened."""
    with translation.override(language):
        text = protocol_text(protocol, opener=opener)
        return render_pdf(protocol_document(text, language))[0]


def protocol_docx(*, protocol: Protocol, language: str, opener: RecordOpener | None) -> bytes:
    """Write the protocol as a Word document, its sealed words opened, with its QR code."""
    with translation.override(language):
        text = protocol_text(protocol, opener=opener)
        return render_docx(protocol_document(text, language))
