"""What the audit log says of the commission, and how it names an order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.commission.models import Commission


@audit_actions(group=_("every action on the commission"))
class CommissionAction(AuditAction):
    APPOINT = "commission.appoint", _("appointed the commission")
    ELECT = "commission.elect", _("recorded the election of the chair and secretary")


def orders_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    return {
        commission.pk: TargetName(
            _("order № %(number)s") % {"number": commission.order_number},
            reverse("commission:detail", args=[school.slug, commission.pk]),
        )
        for commission in Commission.objects.filter(school=school, pk__in=set(pks))
    }
