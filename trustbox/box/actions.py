"""What the audit log says of the box: an appeal's ciphertext erased, the foyer tablet set up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions


@audit_actions(group=_("every action on the box"))
class BoxAction(AuditAction):
    ERASE = "box.erase", _("erased a sealed appeal's ciphertext for good")
    KIOSK_KEY_CONFIRM = "box.kiosk_key_confirm", _("confirmed the box key on the foyer tablet")
    KIOSK_RESET = "box.kiosk_reset", _("reset the foyer tablet")
