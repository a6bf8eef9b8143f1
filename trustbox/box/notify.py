"""Tell the commission that something needs them, never what."""

from __future__ import annotations

from django.utils.translation import gettext as _

from trustbox.commission.models import Commission
from trustbox.lib.mail import mail_bilingual_or_log
from trustbox.schools.models import Membership, School


def urgent_appeal_notify(*, school: School) -> int:
    """Email the commission and the director that an urgent appeal is in the box; no content."""
    commission = Commission.objects.current(school)
    people = list(commission.members.all()) if commission else []
    people += [
        m.user for m in Membership.objects.filter(school=school, kind=Membership.Kind.DIRECTOR)
    ]
    return mail_bilingual_or_log(
        recipients=(person.email for person in people),
        subject=lambda: _("Trust Box: an urgent appeal is in the box"),
        body=lambda: (
            _(
                "An appeal marked urgent (someone may be in danger) is in the trust box of "
                "%(school)s. Gather the commission and open the box as soon as possible. "
                "The appeal is sealed; its content is not in this message."
            )
            % {"school": school.name}
        ),
        what=f"urgent appeal at school {school.pk}",
    )
