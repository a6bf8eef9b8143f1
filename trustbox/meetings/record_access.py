"""Who reads the commission's sealed words on a page, in this browser (rules.may_read_record).

The views ask here for the opener of the record: a member of the commission in force who
holds the registry key and opened it in this browser (registry.session) gets one; a member
who has not opened it yet is sent to the registry's unlock page; anyone else sees the meeting
without its words, and gets 403 for what holds them in clear (printouts, scans).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from trustbox.accounts.access import StaffRequest, staff_user
from trustbox.meetings import rules
from trustbox.meetings.content import content_has_sealed
from trustbox.meetings.models import Protocol
from trustbox.meetings.sealing import RecordOpener, record_opener
from trustbox.registry.keys import registry_holds
from trustbox.registry.session import personal_key_recall
from trustbox.schools.models import School


def may_read_record_here(request: StaffRequest, school: School) -> bool:
    holds = registry_holds(school=school, user=staff_user(request))
    return rules.may_read_record(request.roles, holds_registry_key=holds)


def record_opener_here(request: StaffRequest, school: School) -> RecordOpener | None:
    """What opens the commission's sealed words for this reader in this browser, if anything."""
    if not may_read_record_here(request, school):
        return None
    return record_opener(
        school=school, user=staff_user(request), personal=personal_key_recall(request)
    )


def unlock_url(request: StaffRequest, school: School) -> str:
    return reverse("registry:unlock", args=[school.slug]) + "?next=" + request.path


def record_context(
    request: StaffRequest, school: School, opener: RecordOpener | None, sealed: bool
) -> dict[str, Any]:
    """Whether the page shows sealed words, and where to open them for a member who may."""
    return {
        "opened": opener is not None or not sealed,
        "unlock_url": unlock_url(request, school)
        if opener is None and sealed and may_read_record_here(request, school)
        else "",
    }


def opener_or_unlock(
    request: StaffRequest, school: School, protocol: Protocol
) -> RecordOpener | HttpResponse | None:
    """For a download: the opener, the way to unlock, or 403; None if nothing of it is sealed.

    A protocol with nothing sealed (the first session's open vote, cl. 4.5) prints for every
    reader of protocols; one with sealed words only for a member who opened the registry.
    """
    if not content_has_sealed(protocol.content):
        return None
    opener = record_opener_here(request, school)
    if opener is not None:
        return opener
    if may_read_record_here(request, school):
        return redirect(unlock_url(request, school))
    raise PermissionDenied
