"""Tell the commission that something needs them, never what."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from trustbox.commission.models import Commission
from trustbox.lib.mail import mail_people_or_log
from trustbox.schools.models import Membership, School


def urgent_appeal_notify(*, school: School) -> int:
    """Email the commission and the director that an urgent appeal is in the box; no content."""
    commission = Commission.objects.current(school)
    people = list(commission.members.all()) if commission else []
    people += [
        m.user for m in Membership.objects.filter(school=school, kind=Membership.Kind.DIRECTOR)
    ]
    return mail_people_or_log(
        people,
        subject=gettext_lazy("Trust Box: an urgent appeal is in the box"),
        template="box/mail/urgent_appeal",
        context={"school": school.name},
        what=f"urgent appeal at school {school.pk}",
    )
