"""Tell the commission that a reserve part from the safe was used, and nothing else."""

from __future__ import annotations

from django.utils.translation import gettext as _

from trustbox.commission.models import Commission
from trustbox.lib.mail import mail_bilingual_or_log
from trustbox.schools.models import School


def reserve_used_subject() -> str:
    return _("Trust Box: a reserve part of the box key was used")


def reserve_used_body(school: School) -> str:
    return _(
        "A reserve part of the box key of %(school)s was used today at a gathering of the "
        "commission. If you did not know of it, tell the chair and the director at once: the "
        "audit log shows who typed it in."
    ) % {"school": school.name}


def reserve_used_notify(*, school: School) -> int:
    """Email every member of the commission in force that a reserve part was used."""
    commission = Commission.objects.current(school)
    members = list(commission.members.all()) if commission else []
    return mail_bilingual_or_log(
        recipients=(member.email for member in members),
        subject=reserve_used_subject,
        body=lambda: reserve_used_body(school),
        what=f"reserve part used at school {school.pk}",
    )
