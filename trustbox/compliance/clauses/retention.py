"""Law No. 58 on personal data: closed cases kept no longer than their retention period."""

from __future__ import annotations

import datetime
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.compliance.types import Level, Line, Link
from trustbox.compliance.types import url as _url
from trustbox.retention.selectors import cases_past_period
from trustbox.schools.models import School


def line_retention(school: School, today: datetime.date) -> Line:
    """Closed cases past their period are destroyed by the commission's act (issue 24)."""
    line = partial(
        Line,
        key="law58",
        clause=_("Law No. 58"),
        asks=_(
            "Personal data is kept no longer than its purpose needs: a closed case is destroyed "
            "by the commission's act once its retention period is over."
        ),
    )
    count = cases_past_period(school, today).count()
    if count:
        return line(
            level=Level.AMBER,
            reason=ngettext(
                "%(count)d closed case is past its retention period and waits for the "
                "commission's decision.",
                "%(count)d closed cases are past their retention period and wait for the "
                "commission's decision.",
                count,
            )
            % {"count": count},
            summary=_("cases past their retention period"),
            fix=Link(_("Retention periods"), _url("retention:overview", school)),
        )
    return line(
        level=Level.GREEN,
        reason=_("No closed case is kept past its retention period."),
        summary=_("nothing kept past its period"),
    )
