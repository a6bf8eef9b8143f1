"""Cl. 3.1, 3.3: the box opened, with its act and journal."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.compliance.types import Level, Line, Link
from trustbox.compliance.types import cite as _clause
from trustbox.compliance.types import day as _day
from trustbox.compliance.types import url as _url
from trustbox.openings.selectors import OpeningsOwed
from trustbox.schools.models import School

# --- 3.1, 3.3: the box opened, with its act and journal --------------------------------------


def line_box(school: School, owed: OpeningsOwed) -> Line:
    """Cl. 3.1, 3.3: the box ready, opened together, each opening in the journal."""
    asks = _(
        "The commission opens the box together; each opening has its act of removal and its "
        "entry in the journal of openings, and the box is sealed again."
    )
    line = partial(Line, key="3.1", clause=_clause("3.1, 3.3"), asks=asks)
    journal = Link(_("Journal of openings"), _url("openings:journal", school))
    if not owed.has_key:
        return line(
            level=Level.RED,
            reason=_(
                "The box has no key yet, so it cannot take appeals: the commission makes "
                "it on the Digital seal page."
            ),
            summary=_("the box is not ready"),
            fix=Link(_("Digital seal"), _url("seal:ceremony", school)),
        )
    if owed.broken:
        return line(
            level=Level.RED,
            reason=_("An opening has no entry in the journal of openings or no new seal."),
            summary=_("an opening is not in the journal"),
            evidence=[journal],
        )
    oldest = owed.oldest
    evidence = [journal]
    if oldest is not None:
        count = owed.waiting
        return line(
            level=Level.AMBER,
            reason=ngettext(
                "%(count)d appeal waits in the box since %(date)s: gather the commission and "
                "open it.",
                "%(count)d appeals wait in the box, the oldest since %(date)s: gather the "
                "commission and open it.",
                count,
            )
            % {"count": count, "date": _day(oldest)},
            summary=_("appeals wait in the box"),
            fix=journal,
        )
    opened = owed.last_opened
    if opened is None:
        reason = _("The box has not been opened yet; nothing waits in it.")
    else:
        reason = ngettext(
            "%(count)d opening, with its act and journal entry (the last on %(date)s); nothing "
            "waits in the box.",
            "%(count)d openings, each with its act and journal entry (the last on %(date)s); "
            "nothing waits in the box.",
            owed.openings,
        ) % {"count": owed.openings, "date": _day(opened)}
    return line(
        level=Level.GREEN,
        reason=reason,
        summary=_("opened; nothing waits"),
        evidence=evidence,
    )
