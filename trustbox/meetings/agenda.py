"""The kinds of agenda items: free text, or a reference to something the school keeps.

A kind is registered with agenda_kind_register() by the app that owns the thing referenced.
Appeals and openings sit below this app, so their kinds are registered here; an app above
(the quarterly reports) registers its own kind from its AppConfig.ready(), and finds the items
that name its things through AgendaItem.kind and ref_id.

A reference is written into the protocol by number only ("appeal № 2026/014"): never the
appeal's text, which stays sealed in the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FREE = "free"
ELECTION = "election"
# How many things of one kind a form offers (the most recent first).
CHOICES_LIMIT = 200


@dataclass(frozen=True)
class AgendaKind:
    code: str
    label: StrOrPromise  # what the form calls the kind: "Appeals to consider"
    # (school) -> [(id, reference)]: what may be put on the agenda, newest first.
    choices: Callable[[Any], list[tuple[int, str]]]
    # (school, id) -> the reference written in the protocol, or None if there is no such thing.
    reference: Callable[[Any, int], str | None]
    # (reference) -> how the protocol names it in the active language.
    describe: Callable[[str], str]
    # Whether a person may put it on an agenda (the first session's election is put by the app).
    selectable: bool = True


_KINDS: dict[str, AgendaKind] = {}


def agenda_kind_register(kind: AgendaKind) -> None:
    """Add a kind of agenda item; called from an AppConfig.ready()."""
    _KINDS[kind.code] = kind


def agenda_kinds() -> list[AgendaKind]:
    """The kinds a person may put on an agenda, free text first."""
    return [kind for kind in _KINDS.values() if kind.selectable]


def agenda_kind(code: str) -> AgendaKind | None:
    return _KINDS.get(code)


def agenda_item_text(*, kind: str, reference: str, title: str) -> str:
    """An item as the protocol writes it: the thing referenced, then the chair's words."""
    known = _KINDS.get(kind)
    named = known.describe(reference) if known else reference
    if named and title:
        return f"{named}: {title}"
    return named or title


# --- the kinds of the apps below -----------------------------------------------------------


def _appeal_choices(school: Any) -> list[tuple[int, str]]:
    rows = (
        Appeal.objects.for_school(school)
        .filter(serial__isnull=False)
        .order_by("-year", "-serial")
        .values_list("pk", "year", "serial")[:CHOICES_LIMIT]
    )
    return [(pk, f"{year}/{serial:03d}") for pk, year, serial in rows]


def _appeal_reference(school: Any, pk: int) -> str | None:
    appeal = (
        Appeal.objects.for_school(school)
        .filter(pk=pk, serial__isnull=False)
        .only("year", "serial")
        .first()
    )
    return appeal.number if appeal else None


def _opening_choices(school: Any) -> list[tuple[int, str]]:
    rows = (
        Opening.objects.for_school(school)
        .done()
        .order_by("-journal_number")
        .values_list("pk", "journal_number")[:CHOICES_LIMIT]
    )
    return [(pk, str(number)) for pk, number in rows]


def _opening_reference(school: Any, pk: int) -> str | None:
    number = (
        Opening.objects.for_school(school).done().filter(pk=pk).values_list("journal_number")
    ).first()
    return str(number[0]) if number else None


def builtin_kinds() -> list[AgendaKind]:
    return [
        AgendaKind(
            code=FREE,
            label=gettext_lazy("Other item"),
            choices=lambda school: [],
            reference=lambda school, pk: None,
            describe=lambda reference: "",
        ),
        AgendaKind(
            code="appeal",
            label=gettext_lazy("Appeal to consider"),
            choices=_appeal_choices,
            reference=_appeal_reference,
            describe=lambda reference: _("appeal № %(number)s") % {"number": reference},
        ),
        AgendaKind(
            code="opening",
            label=gettext_lazy("Act of removal of an opening"),
            choices=_opening_choices,
            reference=_opening_reference,
            describe=lambda reference: (
                _("the act of removal of opening № %(number)s") % {"number": reference}
            ),
        ),
        AgendaKind(
            code=ELECTION,
            label=gettext_lazy("Election of the chair and the secretary"),
            choices=lambda school: [],
            reference=lambda school, pk: None,
            describe=lambda reference: _(
                "Election of the chair and the secretary of the commission by open vote (cl. 4.5)"
            ),
            selectable=False,
        ),
    ]
