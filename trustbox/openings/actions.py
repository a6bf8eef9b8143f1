"""What the audit log says of openings of the box, and how it names one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.openings.models import Opening

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@audit_actions(group=_("every action at openings of the box"))
class OpeningAction(AuditAction):
    START = "opening.start", _("started an opening of the box")
    JOIN = "opening.join", _("joined an opening of the box")
    RESERVE_ADD = "opening.reserve_add", _("added a reserve part at an opening")
    PAPER_ADD = "opening.paper_add", _("added a paper appeal at an opening")
    OPEN = "opening.open", _("opened the box")
    CONFIRM_SEAL = "opening.confirm_seal", _("confirmed the seal at an opening")
    CANCEL = "opening.cancel", _("cancelled an opening of the box")
    REKEY = "opening.rekey", _("renewed the box key at an opening")
    EXPIRE = "opening.expire", _("expired an opening not finished in time")


def openings_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    names = {}
    name: StrOrPromise
    for opening in Opening.objects.filter(school=school, pk__in=set(pks)):
        if opening.journal_number:
            name = _("opening № %(number)s") % {"number": opening.journal_number}
        elif opening.purpose == Opening.Purpose.REKEY:
            name = _("a gathering to renew the box key")
        else:
            name = _("an opening not held")
        names[opening.pk] = TargetName(
            name, reverse("openings:session", args=[school.slug, opening.pk])
        )
    return names
