"""What a reader of every view can write down about one quarter, and what it gives away.

`published` maps what the views show to its number, one key per thing whatever view shows it:
("nation", "total"), ("nation", "category", code), and for a district d: (d, "total"),
(d, "category", code), (d, "school", name), (d, "kind", code), (d, "registration", "in_time" |
"late"), (d, "answer", "in_time" | "late"), (d, "overdue"), (d, "urgent"), (d, "outcome", code).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from trustbox.reports.tests.solver import System

Key = tuple[Any, ...]
# Kept, never shown: not (yet) registered, not answered, an outcome that is not a referral.
NOT_SHOWN = {("registration", "none"), ("answer", "none"), ("outcome", "other")}


def attack_system(published: Mapping[Key, int], off: int) -> System:
    """Every number with the legend's bounds, every equation and inequality between them."""
    system = System()
    for key, value in published.items():
        system.published(key, value, off)
    districts = {key[0] for key in published if key[0] != "nation"}

    def of(district: Hashable, table: str) -> list[Key]:
        return [key for key in published if key[0] == district and key[1] == table]

    for d in districts:
        total = (d, "total")
        for table in ("school", "category", "kind"):
            if of(d, table):  # a district's appeals by school, category, kind
                system.total(of(d, table), total)
        registered = of(d, "registration")
        system.at_most(registered, [total])  # in time + late: the registered ones
        system.at_most(of(d, "answer"), registered)  # no answer without a registration
        system.at_most(of(d, "outcome"), registered)  # no outcome without a registration
        system.at_most(of(d, "overdue"), [total])
        system.at_most(of(d, "urgent"), [total])
    codes = {key[2] for key in published if key[1] == "category"}
    if ("nation", "total") in published:
        for code in codes:
            system.total([(d, "category", code) for d in districts], ("nation", "category", code))
        system.total([(d, "total") for d in districts], ("nation", "total"))
        system.total([("nation", "category", code) for code in codes], ("nation", "total"))
    return system


def small_counts_given_away(
    system: System, truth: Mapping[Key, int], published: Mapping[Key, int], small: int = 3
) -> list[tuple[Key, int]]:
    """Every true count from 1 to small - 1 that the system pins, or narrows to 1..small - 1.

    The truth must be a solution (else the system says something false). A count is given away
    when no solution gives it a value outside 1..small - 1.
    """
    assert system.solvable({**system.bounds, **{k: (v, v) for k, v in truth.items()}}), (
        "the truth does not solve the system: an equation or a bound is wrong"
    )
    smalls = set(range(1, small))
    return [
        (key, value)
        for key, value in truth.items()
        if value in smalls and not system.some_other(key, smalls, hint=published)
    ]


def shown_of(
    counts: Iterable[Any], who: Callable[[Any], Hashable], school: Callable[[Any], Hashable]
) -> dict[Key, int]:
    """What the views show of a quarter's counts (publication.Count), keyed as above."""
    found: dict[Key, int] = {}
    for c in counts:
        place = "nation" if c.district is None else who(c.district)
        if c.table == "school":
            found[(place, "school", school(c.school))] = c.value
        elif c.table == "total":
            found[(place, "total")] = c.value
        elif c.table in ("urgent", "overdue"):
            if c.key == "yes":
                found[(place, c.table)] = c.value
        elif (c.table, c.key) not in NOT_SHOWN:  # category, kind, registration, answer, outcome
            found[(place, c.table, c.key)] = c.value
    return found
