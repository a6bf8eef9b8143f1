"""The act of destruction as the document model, rendered to PDF and DOCX (ky, ru, en).

Written from the act's signed content (content.py), never from the registry, so that the
printout says what the members signed: numbers, dates, kind, category and outcome of each
case; never a text or a writer's name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.box.envelope import Category, Kind
from trustbox.lib.dates import Case, long_date, long_date_in_text
from trustbox.lib.docmodel import Code, Column, Document, Heading, Paragraph, Table
from trustbox.lib.docmodel_docx import render_docx
from trustbox.lib.docmodel_pdf import render_pdf
from trustbox.registry.models import Outcome
from trustbox.retention.models import DestructionAct
from trustbox.retention.selectors import act_missing


@dataclass(frozen=True)
class Signed:
    name: str
    on: datetime.date | None  # None: not signed yet


def act_signed(act: DestructionAct) -> list[Signed]:
    """Who signed (with the day) and who has not yet, by name."""
    rows = [
        Signed(s.member.full_name, timezone.localtime(s.signed_at).date())
        for s in act.signatures.select_related("member")
    ]
    rows += [Signed(m.member.full_name, None) for m in act_missing(act)]
    return sorted(rows, key=lambda row: row.name.casefold())


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code or "—"


def _day(iso: str | None, language: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "—"


def _lines(content: dict[str, Any], language: str) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            str(index),
            line["number"],
            _day(line["received_on"], language),
            _day(line["registered_on"], language),
            _day(line["closed_on"], language),
            _label(Kind, line["kind"]),
            _label(Category, line["category"]),
            _label(Outcome, line["outcome"]) if line["outcome"] else "—",
        )
        for index, line in enumerate(content["lines"], start=1)
    )


def _grounds(content: dict[str, Any], language: str) -> str:
    periods = content["periods"]
    held_on = datetime.date.fromisoformat(content["meeting"]["held_on"])
    protocol = content["meeting"]["protocol"]
    text = _(
        "By the decision of the commission at its meeting of %(date)s%(protocol)s, the cases "
        "below, closed and kept for their retention period (%(short)s; urgent and referred "
        "cases: %(long)s), are destroyed. Their text, files, replies and keys are deleted; the "
        "registry keeps only what this act lists, for the statistics and the journal."
    ) % {
        "date": long_date(held_on, language),
        "protocol": (_(" (protocol № %(number)s)") % {"number": protocol}) if protocol else "",
        "short": _years(periods["appeals"]),
        "long": _years(periods["appeals_long"]),
    }
    if content["clause"]:
        text += " " + _("Periods of the school's nomenclature of cases: %(clause)s.") % {
            "clause": content["clause"].rstrip(".")
        }
    return text


def _years(count: int) -> str:
    return ngettext("%(count)d year", "%(count)d years", count) % {"count": count}


def _withdrawn(act: DestructionAct, language: str) -> tuple[Paragraph, ...]:
    """The act withdrawn before any case of it was destroyed: who, when, why."""
    if act.withdrawn_at is None:
        return ()
    text = _(
        "This act was withdrawn by the commission on %(date)s (%(name)s): %(reason)s. No case "
        "was destroyed by it; its cases may go into another act."
    ) % {
        "date": long_date_in_text(
            timezone.localtime(act.withdrawn_at).date(), language, Case.LOCATIVE
        ),
        "name": act.withdrawn_by.full_name if act.withdrawn_by else "—",
        "reason": act.withdrawal_reason.rstrip("."),
    }
    return (Paragraph(text, "centered"),)


def _columns() -> tuple[Column, ...]:
    columns = (
        (_("№"), 0.5, True),
        (_("Registration number"), 2.4, False),
        (_("Received"), 1.8, False),
        (_("Registered"), 2.1, False),
        (_("Closed"), 1.8, False),
        (_("Kind"), 1.8, False),
        (_("Category"), 2.4, False),
        (_("Outcome"), 2.6, False),
    )
    return tuple(Column(t, w, centered=c) for t, w, c in columns)


def act_document(act: DestructionAct, signed: list[Signed], *, language: str) -> Document:
    """The act as the document model (call inside translation.override)."""
    content = act.content
    title = _(
        "Act № %(number)s of %(year)s of the destruction of cases past their retention period"
    ) % {"number": content["number"], "year": content["year"]}
    count = len(content["lines"])
    return Document(
        title=title,
        language=language,
        archival=True,
        school=content["school"],
        orientation="landscape",
        footer=act.fingerprint[:16],
        blocks=(
            Heading(title, level=1),
            Paragraph(content["school"], "centered"),
            *_withdrawn(act, language),
            Paragraph(_grounds(content, language)),
            Table(
                columns=_columns(),
                rows=_lines(content, language),
            ),
            Paragraph(
                ngettext("%(count)d case in all.", "%(count)d cases in all.", count)
                % {"count": count},
                keep_with_next=True,
            ),
            Heading(_("Signatures of the members of the commission")),
            Table(
                columns=(
                    Column(_("Member"), 3.5),
                    Column(_("How signed"), 2.5),
                    Column(_("Date"), 3),
                ),
                rows=tuple(
                    (
                        row.name,
                        _("digital signature") if row.on else "",
                        long_date(row.on, language) if row.on else "",
                    )
                    for row in signed
                ),
                keep_together=True,
            ),
            Paragraph(
                (_("Fingerprint of the signed content:") + " ", Code(act.fingerprint, mono=True)),
                "small",
            ),
        ),
    )


def act_pdf(act: DestructionAct, *, language: str) -> bytes:
    with translation.override(language):
        return render_pdf(act_document(act, act_signed(act), language=language))[0]


def act_docx(act: DestructionAct, *, language: str) -> bytes:
    with translation.override(language):
        return render_docx(act_document(act, act_signed(act), language=language))
