"""The regulation's rules for a commission (cl. 4.1, 4.2, 4.5), as plain functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence, Set
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.accounts.access import Role

MINIMUM_MEMBERS = 3

# The director appoints the commission by order (cl. 4.1).
APPOINTERS = (Role.DIRECTOR,)
# The first session's vote is recorded by the director or a member (cl. 4.5).
ELECTION_RECORDERS = (Role.DIRECTOR, Role.MEMBER)


def may_appoint(roles: Set[Role]) -> bool:
    return bool(roles & set(APPOINTERS))


def may_record_election(roles: Set[Role]) -> bool:
    return bool(roles & set(ELECTION_RECORDERS))


def order_problems(
    *, members: Collection[Any], parents_representative: Any, responsible: Any
) -> dict[str, str]:
    """Say what is wrong with an order, by the form field it concerns; empty if nothing."""
    problems: dict[str, str] = {}
    count = len(members)
    if count < MINIMUM_MEMBERS:
        problems["members"] = _(
            "A commission needs at least three members; you chose %(count)d."
        ) % {"count": count}
    elif count % 2 == 0:
        problems["members"] = ngettext(
            "The number of members must be odd (regulation, cl. 4.1); you chose %(count)d "
            "member. Add or remove one.",
            "The number of members must be odd (regulation, cl. 4.1); you chose %(count)d "
            "members. Add or remove one.",
            count,
        ) % {"count": count}
    if parents_representative is None or parents_representative not in members:
        problems["parents_representative"] = _(
            "The commission must include a representative of the parents' community "
            "(regulation, cl. 4.1): choose one of the members."
        )
    if responsible is None or responsible not in members:
        problems["responsible"] = _(
            "The responsible person is appointed from among the commission (regulation, "
            "cl. 4.2): choose one of the members."
        )
    return problems


@dataclass(frozen=True)
class Ballot:
    """One present member's open vote at the first session."""

    voter: Any
    chair: Any
    secretary: Any


@dataclass(frozen=True)
class Outcome:
    chair: Any
    secretary: Any


def has_quorum(*, present: int, size: int) -> bool:
    """More than half of the commission's members are present: the commission may decide."""
    return present * 2 > size


def quorum_missing(*, present: int, size: int) -> str | None:
    """The reason a vote cannot be held with so few present, or None if there is a quorum."""
    if has_quorum(present=present, size=size):
        return None
    return _(
        "There is no quorum: %(present)d of %(size)d members voted, and more than half "
        "must be present."
    ) % {"present": present, "size": size}


def has_majority(*, votes: int, present: int) -> bool:
    """More than half of the votes of the members present: a candidate or a decision passes."""
    return votes * 2 > present


def election_outcome(*, members: Sequence[Any], ballots: Sequence[Ballot]) -> Outcome | str:
    """Count an open vote; return the outcome, or the reason there is none."""
    present = len(ballots)
    no_quorum = quorum_missing(present=present, size=len(members))
    if no_quorum:
        return no_quorum
    winners = {}
    for office, label in (("chair", _("chair")), ("secretary", _("secretary"))):
        tally = Counter(getattr(ballot, office) for ballot in ballots)
        leader, votes = tally.most_common(1)[0]
        if not has_majority(votes=votes, present=present):
            return _(
                "No candidate for %(office)s received more than half of the votes of the "
                "members present. Vote again."
            ) % {"office": label}
        winners[office] = leader
    if winners["chair"] == winners["secretary"]:
        return _("The same person cannot be both chair and secretary. Vote again.")
    return Outcome(chair=winners["chair"], secretary=winners["secretary"])
