"""Warn the chair before the school misses a deadline of the regulation: content-free, once."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from trustbox.commission.selectors import (
    chair_or_responsible,
    current_commission,
    schools_with_commission,
)
from trustbox.compliance.lines import Level, school_lines
from trustbox.compliance.models import ComplianceWarning
from trustbox.compliance.rules import warn_days
from trustbox.lib.dates import long_date
from trustbox.lib.mail import Recipient, mail_send
from trustbox.schools.models import School

log = logging.getLogger(__name__)


def compliance_warnings_send(*, today: datetime.date) -> int:
    """Mail the chair of each school about every deadline coming close; return how many."""
    sent = 0
    for school in schools_with_commission():
        commission = current_commission(school)
        if commission is None:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            lines = school_lines(school, today=today)
        for line in lines:
            days = warn_days(line.key)
            if (
                line.level != Level.AMBER
                or line.deadline is None
                or days is None
                or (line.deadline - today).days > days
            ):
                continue
            sent += _warn(school, chair_or_responsible(commission), line.key, line.deadline, today)
    return sent


def _warn(
    school: School,
    person: Recipient,
    line: str,
    deadline: datetime.date,
    today: datetime.date,
) -> int:
    # Claim the deadline first, so that two runs at once, or the next day's run, do not mail again.
    try:
        with transaction.atomic():
            warning = ComplianceWarning.objects.create(
                school=school, line=line, deadline=deadline, sent_on=today
            )
    except IntegrityError:
        return 0
    link = settings.SITE_URL + reverse("compliance:school", args=[school.slug])

    def day() -> str:
        return long_date(deadline, translation.get_language() or settings.LANGUAGE_CODE)

    def clause() -> str:
        if line == "law67":
            return _("Law No. 67 on citizens' appeals")
        return _("the regulation on the Trust Box, cl. %(number)s") % {"number": line}

    try:
        return mail_send(
            person,
            subject=lambda: (
                _("Trust Box: a duty of the commission is due by %(date)s") % {"date": day()}
            ),
            template="compliance/mail/warning",
            context=lambda: {
                "school": school.name,
                "date": day(),
                "clause": clause(),
                "link": link,
            },
        )
    except OSError:
        log.warning("a compliance warning could not be sent; it is tried again next run")
        warning.delete()
        return 0
