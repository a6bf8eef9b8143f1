"""Tell the commission of a gathering started and of a reserve part used, and nothing else."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.lib.mail import mail_people_or_log
from trustbox.openings.models import Opening
from trustbox.schools.models import School
from trustbox.seal import crypto


def reserve_used_subject() -> str:
    return _("Trust Box: a reserve part of the box key was used")


def reserve_used_notify(*, school: School) -> int:
    """Email every member of the commission in force that a reserve part was used."""
    commission = Commission.objects.current(school)
    members = list(commission.members.all()) if commission else []
    return mail_people_or_log(
        members,
        subject=reserve_used_subject,
        template="openings/mail/reserve_used",
        context={"school": school.name},
        what=f"reserve part used at school {school.pk}",
    )


def opening_started_subject(opening: Opening) -> str:
    if opening.is_renewal:
        return _("Trust Box: a renewal of the box key was started")
    return _("Trust Box: an opening of the box was started")


def opening_started_facts(opening: Opening) -> dict[str, object]:
    """Who started the gathering, when, where its screen is and its code; no appeal's content."""
    started = timezone.localtime(opening.started_at)
    return {
        "renewal": opening.is_renewal,
        "name": opening.started_by.full_name,
        "school": opening.school.name,
        "day": started.date(),
        "time": started.strftime("%H:%M"),
        "place": opening.place,
        "code": crypto.key_code(bytes(opening.session_public_key)),
        "link": settings.SITE_URL
        + reverse("openings:session", args=[opening.school.slug, opening.pk]),
    }


def gathering_todo_text(opening: Opening) -> str:
    """The to-do line of a member not (yet) present: who started the gathering, when, where.

    Not the code: the page reads it from the database, which is what a member must not trust;
    the code is read on the shared screen (and compared with the email sent at the start).
    """
    facts = {
        "name": opening.started_by.full_name,
        "time": timezone.localtime(opening.started_at).strftime("%H:%M"),
        "place": opening.place,
    }
    lines = [
        _("%(name)s started a renewal of the box key at %(time)s: join it on the shared screen.")
        if opening.is_renewal
        else _("%(name)s started an opening of the box at %(time)s: join it on the shared screen."),
        _("Where the commission gathers: %(place)s.") if opening.place else "",
        _("If you did not know of it, tell the chair and the director at once."),
    ]
    return " ".join(line % facts for line in lines if line)


def _told_of(opening: Opening) -> list[User]:
    """The commission in force, and for a renewal whoever holds a part of the key renewed."""
    commission = Commission.objects.current(opening.school)
    people = list(commission.members.all()) if commission else []
    if opening.is_renewal:
        people.extend(share.holder for share in opening.box_key.shares.select_related("holder"))
    return people


def opening_started_notify(*, opening: Opening) -> int:
    """Email every member that a gathering started: who started it, where, and its code.

    A member who is not in that room learns that the commission's parts are being gathered,
    and by whom: if they did not know of it, something is wrong.
    """
    return mail_people_or_log(
        _told_of(opening),
        subject=lambda: opening_started_subject(opening),
        template="openings/mail/opening_started",
        context=opening_started_facts(opening),
        what=f"gathering started at school {opening.school_id}",
    )
