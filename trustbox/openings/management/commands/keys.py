"""Operator command for the box key: see its state, renew it with a quorum or the reserve parts."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trustbox.accounts.models import User
from trustbox.openings.models import Opening
from trustbox.openings.services import (
    opening_cancel,
    opening_join,
    opening_start,
    rekey_finish,
    reserve_share_add,
    screen_code,
)
from trustbox.schools.models import School
from trustbox.seal.services import ceremony_state


def read_reserve_file(path: Path) -> list[str]:
    """Reserve parts from a file: one part per paragraph (blank lines between parts)."""
    return [" ".join(part.split()) for part in path.read_text().split("\n\n") if part.strip()]


class Command(BaseCommand):
    help = (
        "See or renew a school's box key. Renewal gathers a quorum: members type their "
        "passwords here, reserve parts come from files; the new reserve parts are printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "renew"])
        parser.add_argument("school", help="the school's short name")
        parser.add_argument(
            "--member", action="append", default=[], help="login of a member present"
        )
        parser.add_argument("--reserve-file", action="append", default=[], type=Path)
        parser.add_argument(
            "--by", help="login of the person doing this (default: the first member)"
        )

    def handle(self, *args: Any, action: str, school: str, **options: Any) -> None:
        found = School.objects.filter(slug=school).first()
        if found is None:
            raise CommandError(f"No school {school!r}.")
        if action == "status":
            self.status(found)
        else:
            self.renew(found, options["member"], options["reserve_file"], options["by"])

    def status(self, school: School) -> None:
        state = ceremony_state(school)
        out = self.stdout.write
        out(f"School: {school.name}")
        if state.box_key is None:
            out("Box key: none yet (the commission makes it on the Digital seal page).")
            return
        key = state.box_key
        out(
            f"Box key: {key.threshold} of {key.member_shares} members, "
            f"{key.reserve_shares} reserve parts, made {key.created_at:%Y-%m-%d}."
        )
        out(f"Holders: {', '.join(s.holder.username for s in key.shares.select_related('holder'))}")
        if state.needs_renewal:
            out(
                "Renewal needed: "
                + (
                    "a new commission."
                    if not state.box_key_is_current
                    else "members without a part: "
                    + ", ".join(m.username for m in state.without_share)
                )
            )

    def renew(
        self, school: School, members: list[str], reserve_files: list[Path], by: str | None
    ) -> None:
        people = list(User.objects.filter(username__in=members))
        if len(people) != len(set(members)):
            raise CommandError("Unknown login among --member.")
        actor = User.objects.filter(username=by).first() if by else (people[0] if people else None)
        if actor is None:
            raise CommandError("Name who does this with --by (or give at least one --member).")
        parts = [part for path in reserve_files for part in read_reserve_file(path)]
        try:
            opening, browser_key = opening_start(
                school=school, by=actor, purpose=Opening.Purpose.REKEY
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # This command started the gathering and holds its key: it confirms the code itself.
        code = screen_code(opening, browser_key) or ""
        try:
            for person in people:
                password = getpass.getpass(f"Password of {person.username}: ")
                opening_join(opening=opening, member=person, password=password, session_code=code)
            for part in parts:
                reserve_share_add(opening=opening, by=actor, words=part)
            new_key, reserve = rekey_finish(opening=opening, by=actor, browser_key=browser_key)
        except ValidationError as error:
            opening_cancel(opening=opening, by=actor)
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"The box key is renewed: {new_key.threshold} of {new_key.member_shares} members. "
            "Print the new reserve parts below and put them in the safe; "
            "the old ones no longer count.\n"
        )
        for number, part in enumerate(reserve, start=1):
            self.stdout.write(f"Reserve part {number}:\n{part}\n")
