"""The helplines shown on every public page, from settings.HELPLINES."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "children": _("children's helpline — free, day and night"),
    "police": _("police"),
    "ambulance": _("ambulance"),
    "unified": _("single emergency number"),
    "domestic_violence": _("domestic violence helpline"),
}


@dataclass(frozen=True)
class Helpline:
    number: str
    key: str

    @property
    def label(self) -> str:
        return str(LABELS.get(self.key, ""))


def helplines_all() -> list[Helpline]:
    return [Helpline(number=number, key=key) for number, key in settings.HELPLINES]


def helpline_numbers() -> dict[str, str]:
    """Each helpline's number by its key: {"children": "111", "unified": "112", …}."""
    return {line.key: line.number for line in helplines_all()}
