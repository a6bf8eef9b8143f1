"""What the audit log says of the box itself: an appeal's ciphertext erased for good."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions


@audit_actions(group=_("every action on the box"))
class BoxAction(AuditAction):
    ERASE = "box.erase", _("erased a sealed appeal's ciphertext for good")
