from collections.abc import Set
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from trustbox.accounts.access import Role
from trustbox.audit import rules as audit_rules
from trustbox.commission import rules as commission_rules
from trustbox.compliance import rules as compliance_rules
from trustbox.meetings import rules as meeting_rules
from trustbox.openings import rules as opening_rules
from trustbox.registry import rules as registry_rules
from trustbox.reports import rules as report_rules
from trustbox.schools import rules as school_rules

# Each language is named in itself, so a person finds their own whatever is active.
NATIVE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}


def languages(request: HttpRequest) -> dict[str, Any]:
    return {
        "language_choices": [(code, NATIVE_NAMES.get(code, code)) for code, _ in settings.LANGUAGES]
    }


class SchoolPermissions:
    """What the signed-in person may do at the school of the page, for menus and buttons.

    Templates ask these, never role names; each answer comes from the rules of its app.
    """

    def __init__(self, roles: Set[Role]) -> None:
        self.roles = roles

    @property
    def read_audit_log(self) -> bool:
        return audit_rules.may_read_log(self.roles)

    @property
    def manage_people(self) -> bool:
        return school_rules.may_manage_people(self.roles)

    @property
    def appoint_commission(self) -> bool:
        return commission_rules.may_appoint(self.roles)

    @property
    def start_opening(self) -> bool:
        return opening_rules.may_open(self.roles)

    @property
    def export_registry(self) -> bool:
        return registry_rules.may_export(self.roles)

    @property
    def read_meetings(self) -> bool:
        return meeting_rules.may_read(self.roles)

    @property
    def schedule_meeting(self) -> bool:
        return meeting_rules.may_schedule(self.roles)

    @property
    def read_compliance(self) -> bool:
        return compliance_rules.may_read(self.roles)

    @property
    def read_reports(self) -> bool:
        return report_rules.may_read(self.roles)


def permissions(request: HttpRequest) -> dict[str, Any]:
    """`may`: the person's permissions at the school of a school page (none elsewhere)."""
    roles = getattr(request, "roles", None)
    return {"may": SchoolPermissions(roles)} if roles is not None else {}
