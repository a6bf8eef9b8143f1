"""The attacker's arithmetic: every published number, every equation and bound, solved exactly.

A small exact solver for integer unknowns under linear equations and inequalities (no scipy
here): bounds propagation (what a person with a spreadsheet does: subtract the shown parts from
the total, use the legend's bounds, repeat until nothing moves) to a fixed point, then a
depth-first search over the unknowns' values for whether a system has any solution at all. The
search is exact, so "no other value is possible" is proved, not guessed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

BIG = 10**9
Bounds = dict[Hashable, tuple[int, int]]


@dataclass
class Constraint:
    terms: dict[Hashable, int]  # unknown -> coefficient
    equal: bool  # sum(terms) == rhs, else sum(terms) <= rhs
    rhs: int = 0


@dataclass
class System:
    bounds: Bounds = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)

    def unknown(self, name: Hashable, low: int = 0, high: int = BIG) -> Hashable:
        old = self.bounds.get(name, (0, BIG))
        self.bounds[name] = (max(old[0], low), min(old[1], high))
        return name

    def published(self, name: Hashable, value: int, off: int) -> Hashable:
        """A published number: the truth is within `off` of it, and not below 0 (the legend)."""
        return self.unknown(name, max(0, value - off), value + off)

    def total(self, parts: Iterable[Hashable], total: Hashable) -> None:
        """The parts add up to the total."""
        terms = dict.fromkeys(parts, 1)
        terms[total] = terms.get(total, 0) - 1
        self.constraints.append(Constraint(terms, True))

    def at_most(self, parts: Iterable[Hashable], wholes: Iterable[Hashable]) -> None:
        """The parts add up to at most the wholes (counts of a subset of theirs)."""
        terms = dict.fromkeys(parts, 1)
        for whole in wholes:
            terms[whole] = terms.get(whole, 0) - 1
        self.constraints.append(Constraint(terms, False))

    # --- solving ---------------------------------------------------------------------------

    def propagate(self, bounds: Bounds | None = None) -> Bounds | None:
        """Narrow every unknown's bounds until nothing moves; None when there is no solution."""
        current = dict(self.bounds if bounds is None else bounds)
        changed = True
        while changed:
            changed = False
            for constraint in self.constraints:
                result = _narrow(constraint, current)
                if result is None:
                    return None
                if result:
                    changed = True
        return current

    def solvable(
        self, bounds: Bounds | None = None, hint: Mapping[Hashable, int] | None = None
    ) -> bool:
        """Whether any integer solution exists within the bounds (exact, by search)."""
        bounds = self.bounds if bounds is None else bounds
        if hint and set(hint) >= set(bounds) and self.solves(hint, bounds):
            return True  # the hint is a solution: no search needed
        narrowed = self.propagate(bounds)
        if narrowed is None:
            return False
        open_ = [(high - low, name) for name, (low, high) in narrowed.items() if low < high]
        if not open_:
            return all(_holds(constraint, narrowed) for constraint in self.constraints)
        _width, name = min(open_, key=lambda item: (item[0], repr(item[1])))
        low, high = narrowed[name]
        first = min(max((hint or {}).get(name, low), low), high)
        for value in [first, *(v for v in _around(first, low, high) if v != first)]:
            if self.solvable({**narrowed, name: (value, value)}, hint):
                return True
        return False

    def solves(self, values: Mapping[Hashable, int], bounds: Bounds | None = None) -> bool:
        """Whether the values are a solution (within the bounds, every constraint holds)."""
        bounds = self.bounds if bounds is None else bounds
        if any(not low <= values[name] <= high for name, (low, high) in bounds.items()):
            return False
        fixed = {name: (values[name], values[name]) for name in bounds}
        return all(_holds(constraint, fixed) for constraint in self.constraints)

    def possible(
        self, name: Hashable, values: Iterable[int], hint: Mapping[Hashable, int] | None = None
    ) -> list[int]:
        """The values of an unknown among `values` that some solution gives it."""
        low, high = self.bounds[name]
        return [
            v
            for v in values
            if low <= v <= high and self.solvable({**self.bounds, name: (v, v)}, hint)
        ]

    def some_other(
        self, name: Hashable, than: set[int], hint: Mapping[Hashable, int] | None = None
    ) -> bool:
        """Whether some solution gives the unknown a value outside `than` (a set of integers)."""
        low, high = self.bounds[name]
        ranges = []
        previous = low - 1
        for value in sorted(v for v in than if low <= v <= high):
            if value > previous + 1:
                ranges.append((previous + 1, value - 1))
            previous = value
        if previous < high:
            ranges.append((previous + 1, high))
        wanted = (hint or {}).get(name, low)  # the range of the hint first: likely a solution
        ranges.sort(key=lambda r: 0 if r[0] <= wanted <= r[1] else 1)
        return any(self.solvable({**self.bounds, name: r}, hint) for r in ranges)


def _around(first: int, low: int, high: int) -> Iterable[int]:
    """Values from `first` outwards, within [low, high] (a published value first)."""
    for step in range(0, max(first - low, high - first) + 1):
        for value in (first + step, first - step):
            if low <= value <= high:
                yield value


def _holds(constraint: Constraint, bounds: Bounds) -> bool:
    total = sum(c * bounds[name][0] for name, c in constraint.terms.items())
    return total == constraint.rhs if constraint.equal else total <= constraint.rhs


def _narrow(constraint: Constraint, bounds: Bounds) -> bool | None:
    """One pass of bounds consistency over one constraint; None: infeasible; True: changed."""
    lows = {
        n: (c * bounds[n][0] if c > 0 else c * bounds[n][1]) for n, c in constraint.terms.items()
    }
    highs = {
        n: (c * bounds[n][1] if c > 0 else c * bounds[n][0]) for n, c in constraint.terms.items()
    }
    low_sum, high_sum = sum(lows.values()), sum(highs.values())
    changed = False
    for name, c in constraint.terms.items():
        # c * x <= rhs - (the others' least); and for an equation c * x >= rhs - (their most)
        most = constraint.rhs - (low_sum - lows[name])
        least = constraint.rhs - (high_sum - highs[name]) if constraint.equal else -BIG * abs(c)
        low, high = bounds[name]
        if c > 0:
            new = (max(low, -(-least // c)), min(high, most // c))
        else:
            new = (max(low, -(most // -c)), min(high, least // c))
        if new[0] > new[1]:
            return None
        if new != (low, high):
            bounds[name] = new
            changed = True
    return changed
