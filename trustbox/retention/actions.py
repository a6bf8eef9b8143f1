"""What the audit log says of retention periods and acts of destruction, and how it names them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.retention.models import DestructionAct


@audit_actions(group=_("every action on retention and destruction"))
class RetentionAction(AuditAction):
    PERIODS = "retention.periods", _("changed the school's retention periods")
    DRAW_UP = "retention.draw_up", _("drew up an act of destruction")
    SIGN = "retention.sign", _("signed an act of destruction")
    DESTROYED = "retention.destroyed", _("destroyed the cases of an act of destruction")
    WITHDRAW = "retention.withdraw", _("withdrew an unfinished act of destruction")
    PAPERS = (
        "retention.papers",
        _("confirmed that the papers past their retention period are destroyed"),
    )


def acts_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    return {
        act.pk: TargetName(
            _("act of destruction № %(number)s of %(year)s")
            % {"number": act.number, "year": act.year},
            reverse("retention:act", args=[school.slug, act.pk]),
        )
        for act in DestructionAct.objects.filter(school=school, pk__in=set(pks)).only(
            "pk", "number", "year"
        )
    }
