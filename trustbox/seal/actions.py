"""What the audit log says of keys, and how it names a box key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.lib.dates import long_date
from trustbox.seal.models import BoxKey


@audit_actions(group=_("every action on keys"))
class SealAction(AuditAction):
    MEMBER_KEY_SET = "seal.member_key_set", _("set their personal key")
    MEMBER_KEY_RESET = "seal.member_key_reset", _("reset their personal key")
    BOX_KEY_CREATE = "seal.box_key_create", _("made the box key")
    BOX_KEY_RENEW = "seal.box_key_renew", _("renewed the box key")
    SIGNING_KEY_SET = "seal.signing_key_set", _("made a signing key")


def box_keys_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    return {
        key.pk: TargetName(
            _("the box key of %(date)s")
            % {"date": long_date(timezone.localtime(key.created_at).date(), get_language() or "ky")}
        )
        for key in BoxKey.objects.filter(school=school, pk__in=set(pks))
    }
