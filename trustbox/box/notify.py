"""Tell the commission that something needs them, never what."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from trustbox.commission.models import Commission
from trustbox.schools.models import Membership, School

log = logging.getLogger(__name__)


def urgent_appeal_notify(*, school: School) -> int:
    """Email the commission and the director that an urgent appeal is in the box; no content."""
    commission = Commission.objects.current(school)
    people = list(commission.members.all()) if commission else []
    people += [
        m.user for m in Membership.objects.filter(school=school, kind=Membership.Kind.DIRECTOR)
    ]
    recipients = sorted({p.email for p in people if p.email})
    if not recipients:
        return 0
    parts = []
    for language in ("ky", "ru"):
        with translation.override(language):
            parts.append(
                _(
                    "An appeal marked urgent (someone may be in danger) is in the trust box of "
                    "%(school)s. Gather the commission and open the box as soon as possible. "
                    "The appeal is sealed; its content is not in this message."
                )
                % {"school": school.name}
            )
    with translation.override("ky"):
        subject = _("Trust Box: an urgent appeal is in the box")
    messages = [
        (subject, "\n\n".join(parts), settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients
    ]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        log.warning("urgent appeal notification could not be sent for school %s", school.pk)
        return 0
