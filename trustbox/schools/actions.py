"""What the audit log says of schools, districts, their people and the calendar of work days."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.schools.models import School


@audit_actions(group=_("every action on people"))
class PersonAction(AuditAction):
    ADD = "person.add", _("added a person to the school")
    DIRECTOR_INVITE = "person.director_invite", _("invited the school's director")


@audit_actions(group=_("every action on schools and districts"))
class SchoolAction(AuditAction):
    ADD = "school.add", _("added a school")
    DISTRICT_ADD = "school.district_add", _("added a district")


@audit_actions(group=_("every change of the calendar of working days"))
class CalendarAction(AuditAction):
    CHANGE = "calendar.change", _("entered a day off or a working day by decree")
    REMOVE = "calendar.remove", _("removed a change of the calendar")


def schools_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    return {
        pk: TargetName(name)
        for pk, name in School.objects.filter(pk__in=set(pks)).values_list("pk", "name")
    }
