"""A quarter's counts as they leave the commission: the truth, rounded once (rounding.py).

Everything the district's page, its CSV, XLSX and PDF report, and the national view show for a
quarter comes from here, rounded together so that every table of every view adds up:

- the nation's table, districts × categories, with each district's total, each category's
  total and the grand total (rounded first, as one table);
- then, for each district, tables that must add up to its total as the nation's table rounded
  it (the target): its schools; its kinds; urgent or not; waiting past the deadline or not; and
  outcomes × registration × answer as one chain (rounding.chain_network), so that the rounded
  counts keep the registry's rules (an answer or an outcome only after a registration).

`quarter_round` is pure: the tests run it on made-up districts and solve what it publishes.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Sum

from trustbox.box.envelope import Category, Kind
from trustbox.reports.figures import REFERRALS
from trustbox.reports.models import Tally
from trustbox.reports.rounding import (
    chain_network,
    partition_network,
    round_network,
    table_network,
)
from trustbox.schools.models import District
from trustbox.schools.periods import Quarter

OTHER = "other"  # an outcome that is not a referral, or none yet
STATES = ("in_time", "late", "none")  # registered or answered: in time, late, not (yet)
YES_NO = ("yes", "no")


def rounding_base() -> int:
    """The base new publications round to (older ones keep theirs: Publication.base)."""
    return max(3, int(settings.ROUNDING_BASE))


def outcome_classes() -> list[str]:
    return [*(str(code) for code in REFERRALS), OTHER]


def _state(value: bool | None) -> str:
    return "none" if value is None else ("in_time" if value else "late")


@dataclass
class DistrictTruth:
    """A district's true counts of one quarter, by every field it publishes."""

    schools: dict[int, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    urgent: dict[str, int] = field(default_factory=dict)
    overdue: dict[str, int] = field(default_factory=dict)
    # (outcome class, registration state) and (registration state, answer state)
    outcome_registration: dict[tuple[str, str], int] = field(default_factory=dict)
    registration_answer: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass
class QuarterTruth:
    categories: dict[tuple[int, str], int] = field(default_factory=dict)
    districts: dict[int, DistrictTruth] = field(default_factory=dict)


def _add(counts: dict[Any, int], key: Any, n: int) -> None:
    counts[key] = counts.get(key, 0) + n


def quarter_truth(quarter: Quarter) -> QuarterTruth:
    """Every district's true counts of the quarter, from the frozen tallies (a few GROUP BYs)."""
    tallies = Tally.objects.filter(quarter=quarter.start, district__isnull=False)
    truth = QuarterTruth()
    districts = {pk: DistrictTruth() for pk in District.objects.values_list("pk", flat=True)}
    for pk, school in District.objects.values_list("pk", "schools").exclude(schools=None):
        districts[pk].schools[school] = 0

    def grouped(*fields: str) -> Iterable[dict[str, Any]]:
        return tallies.values("district", *fields).annotate(n=Sum("count")).order_by()

    for row in grouped("category"):
        _add(truth.categories, (row["district"], row["category"]), row["n"])
    for row in grouped("school"):
        _add(
            districts.setdefault(row["district"], DistrictTruth()).schools, row["school"], row["n"]
        )
    for row in grouped("kind"):
        _add(districts[row["district"]].kinds, row["kind"], row["n"])
    for row in grouped("urgent", "overdue"):
        found = districts[row["district"]]
        _add(found.urgent, YES_NO[not row["urgent"]], row["n"])
        _add(found.overdue, YES_NO[not row["overdue"]], row["n"])
    referrals = {str(code) for code in REFERRALS}
    for row in grouped("outcome", "registered_in_time", "answered_in_time"):
        found = districts[row["district"]]
        outcome = row["outcome"] if row["outcome"] in referrals else OTHER
        registered = _state(row["registered_in_time"])
        _add(found.outcome_registration, (outcome, registered), row["n"])
        _add(found.registration_answer, (registered, _state(row["answered_in_time"])), row["n"])
    truth.districts = districts
    return truth


# --- rounding a quarter --------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """One published count: district None for the nation's, school set for a school's line."""

    district: int | None
    table: str
    key: str
    value: int
    school: int | None = None


def quarter_round(truth: QuarterTruth, *, base: int, rng: random.Random) -> list[Count]:
    """Every count the quarter publishes, rounded to a multiple of base (controlled rounding)."""
    codes = [str(code) for code in Category.values]
    cells = {
        (district, code): truth.categories.get((district, code), 0)
        for district in truth.districts
        for code in codes
    }
    nation = round_network(table_network(cells), base=base, rng=rng)
    counts = [Count(None, "total", "", nation[("total",)])]
    counts += [Count(None, "category", code, nation[("column", code)]) for code in codes]
    for district, found in truth.districts.items():
        total = nation[("row", district)]
        counts.append(Count(district, "total", "", total))
        counts += [
            Count(district, "category", code, nation[("cell", district, code)]) for code in codes
        ]
        counts += _district_round(district, found, total, base=base, rng=rng)
    return counts


def _partition(
    district: int,
    table: str,
    parts: Mapping[Any, int],
    keys: Iterable[Hashable],
    total: int,
    *,
    base: int,
    rng: random.Random,
) -> list[Count]:
    every = {key: parts.get(key, 0) for key in keys}
    rounded = round_network(
        partition_network(every), base=base, rng=rng, target=(("total",), total)
    )
    if table == "school":
        return [
            Count(district, table, "", rounded[("part", key)], school=int(str(key)))
            for key in every
        ]
    return [Count(district, table, str(key), rounded[("part", key)]) for key in every]


def _district_round(
    district: int, found: DistrictTruth, total: int, *, base: int, rng: random.Random
) -> list[Count]:
    """A district's tables, each adding up to its total as the nation's table rounded it."""
    kinds = [str(code) for code in Kind.values]
    counts: list[Count] = []
    for table, parts, keys in (
        ("school", found.schools, list(found.schools)),
        ("kind", found.kinds, kinds),
        ("urgent", found.urgent, YES_NO),
        ("overdue", found.overdue, YES_NO),
    ):
        counts += _partition(district, table, parts, keys, total, base=base, rng=rng)
    chain = round_network(
        chain_network(found.outcome_registration, found.registration_answer),
        base=base,
        rng=rng,
        target=(("total",), total),
    )
    for table, field_key, keys in (
        ("outcome", "a", outcome_classes()),
        ("registration", "b", list(STATES)),
        ("answer", "c", list(STATES)),
    ):
        counts += [Count(district, table, key, chain.get((field_key, key), 0)) for key in keys]
    return counts
