"""Operator command for the box key: see its state; a renewal is for the browser ceremony only.

The box key is put together only on the screen where the commission gathers, from parts
unlocked by the members' own passwords and reserve parts typed there by the people who keep
them. This command takes no password and no reserve part, so the operator's terminal never
holds the box key: ``keys renew`` says where and who, and exits with an error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.lib.commands import OperatorCommand
from trustbox.schools.models import School
from trustbox.seal.services import ceremony_state


class Command(OperatorCommand):
    help = gettext_lazy(
        "See the state of a school's box key. The key is renewed only in the browser, on the "
        "Digital seal page, with the members and the reserve parts there: `keys renew` says "
        "where and who must gather."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "renew"])
        parser.add_argument("school", help=_("the school's short name"))
        # The options of the former terminal renewal, still accepted so that an old command
        # line gets the way to the ceremony instead of a usage error. Nothing is read from them.
        for option in ("--member", "--reserve-file", "--by"):
            parser.add_argument(option, action="append", default=[], help=argparse.SUPPRESS)

    def handle(self, *args: Any, action: str, school: str, **options: Any) -> None:
        found = School.objects.filter(slug=school).first()
        if found is None:
            raise CommandError(_("No school %(slug)s.") % {"slug": school})
        if action == "status":
            self.status(found)
        else:
            self.renew(found, [Path(path) for path in options["reserve_file"]])

    def status(self, school: School) -> None:
        state = ceremony_state(school)
        out = self.stdout.write
        out(_("School") + f": {school.name}")
        if state.box_key is None:
            out(_("Box key: none yet (the commission makes it on the Digital seal page)."))
            return
        key = state.box_key
        out(
            _(
                "Box key: %(threshold)d of %(members)d members, %(reserve)d reserve parts, "
                "made %(day)s."
            )
            % {
                "threshold": key.threshold,
                "members": key.member_shares,
                "reserve": key.reserve_shares,
                "day": f"{key.created_at:%Y-%m-%d}",
            }
        )
        holders = ", ".join(s.holder.username for s in key.shares.select_related("holder"))
        out(_("Holders: %(logins)s") % {"logins": holders})
        if not state.needs_renewal:
            return
        if not state.box_key_is_current:
            why = _("Renewal needed: a new commission.")
        else:
            why = _("Renewal needed: members without a part: %(logins)s.") % {
                "logins": ", ".join(m.username for m in state.without_share)
            }
        out(
            why
            + " "
            + _("It is done on the Digital seal page: %(url)s") % {"url": seal_page(school)}
        )

    def renew(self, school: School, reserve_files: list[Path]) -> None:
        """Say where the renewal is done and who must gather; renew nothing, read nothing."""
        out = self.stdout.write
        key = ceremony_state(school).box_key
        out(_("School") + f": {school.name}")
        out(
            _(
                "The box key is renewed only in the browser, on the Digital seal page, on the "
                "one screen where the people gather: %(url)s"
            )
            % {"url": seal_page(school)}
        )
        if key is None:
            out(_("This school has no box key yet: the commission makes it on that page."))
        else:
            holders = sorted(
                share.holder.full_name or share.holder.username
                for share in key.shares.select_related("holder")
            )
            out(
                _(
                    "Who must gather: %(count)d of the holders of the current key (%(names)s). "
                    "Reserve parts from the safe count as holders: the people who keep them "
                    "bring the envelopes and type them on that screen. At least one holder must "
                    "be there."
                )
                % {"count": key.threshold, "names": "; ".join(holders)}
            )
            out(
                _(
                    "A member of the commission in force or the director signs in on that "
                    "screen and starts the renewal; the new reserve parts are shown there once, "
                    "to print."
                )
            )
        for path in reserve_files:
            if path.exists():
                out(
                    _(
                        "%(path)s is a file on this server named as holding reserve parts (not "
                        "read): reserve parts belong on paper in the safe. Delete it: shred -u "
                        "%(path)s"
                    )
                    % {"path": path}
                )
        raise CommandError(
            _(
                "keys renew takes no password and no reserve part: the box key never passes "
                "through this terminal. Renew it on the Digital seal page (above)."
            )
        )


def seal_page(school: School) -> str:
    return settings.SITE_URL + reverse("seal:ceremony", args=[school.slug])
