"""The foyer tablet's set-up: a member confirms on the tablet the box key it keeps.

The tablet keeps the key in its own storage (public/static/public/kiosk_store.js); the server
keeps only who confirmed which key's code, and when, in the audit log. Nothing of a writer.
"""

from __future__ import annotations

from typing import Any

from trustbox.audit.services import audit_write
from trustbox.box.actions import BoxAction
from trustbox.schools.models import School
from trustbox.seal.models import BoxKey


def kiosk_key_confirm(*, school: School, box_key: BoxKey, key_code: str, by: Any) -> None:
    """A member set the foyer tablet up, or confirmed on it the box key after a renewal."""
    audit_write(
        school=school,
        actor=by,
        action=BoxAction.KIOSK_KEY_CONFIRM,
        target=box_key,
        details={"key_code": key_code},
    )


def kiosk_reset(*, school: School, waiting: int, by: Any) -> None:
    """A member made the tablet forget its key; it said how many sealed appeals still waited."""
    audit_write(school=school, actor=by, action=BoxAction.KIOSK_RESET, details={"waiting": waiting})
