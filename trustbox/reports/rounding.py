"""Controlled random rounding: every count that leaves the commission, rounded to a base.

Pure (no database). The method is Cox's unbiased controlled rounding (L. H. Cox, "A constructive
procedure for unbiased controlled rounding", JASA 82, 1987), as statistical offices use it for
tables of small areas. docs/privacy.md says why it holds where suppression did not.

A table and its totals are a *network*: every count is an edge between two nodes, and at every
node what comes in equals what goes out (a row's cells add up to the row's total, and so on).
Each count is rounded to a multiple of `base`, down or up, never further: so it is at most
`base - 1` from the truth, a multiple of the base stays as it is, and 0 stays 0. Rounding moves
counts around cycles of the network, so every node still balances: **the rounded numbers add up
exactly as the true ones do.** That is what makes them safe against subtraction: the published
table is itself a possible truth, so no equation, bound or combination of views can exclude it;
a true count of 1 or 2 (not a multiple of 3) always has at least two values left, itself and the
published one.

Each move along a cycle goes one way or the other with the probabilities that keep every
count's expected rounded value equal to the true one (unbiased), except for one `target` edge,
whose rounded value was fixed before (a district's total, fixed by the nation's table, which
every other table of the district must add up to): cycles through it move it towards its
target, and it reaches it.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

Node = Hashable
Key = Hashable


@dataclass(frozen=True)
class Edge:
    source: Node
    sink: Node
    value: int


class UnbalancedNetwork(ValueError):
    """A node where what comes in is not what goes out: not the counts of one set of appeals."""


def _balanced(edges: Mapping[Key, Edge]) -> None:
    flow: dict[Node, int] = {}
    for edge in edges.values():
        if edge.value < 0:
            raise UnbalancedNetwork("a negative count")
        flow[edge.source] = flow.get(edge.source, 0) - edge.value
        flow[edge.sink] = flow.get(edge.sink, 0) + edge.value
    if any(flow.values()):
        raise UnbalancedNetwork("a node does not balance")


def round_network(
    edges: Mapping[Key, Edge],
    *,
    base: int,
    rng: random.Random,
    target: tuple[Key, int] | None = None,
) -> dict[Key, int]:
    """Round every edge's count to a multiple of base so that every node still balances.

    `target` (an edge and its rounded value, the floor or the ceiling of its count) pins one edge.
    """
    _balanced(edges)
    value = {key: edge.value for key, edge in edges.items()}
    if target is not None:
        key, wanted = target
        low = value[key] - value[key] % base
        if wanted not in (low, low + base if value[key] % base else low):
            raise ValueError("the target is not a rounding of its count")
    touching: dict[Node, set[Key]] = {}
    for key, edge in edges.items():
        if value[key] % base:
            touching.setdefault(edge.source, set()).add(key)
            touching.setdefault(edge.sink, set()).add(key)
    while touching:
        cycle = _cycle(edges, touching, rng)
        _move(cycle, value, base, rng, target)
        for key, _sign in cycle:
            if value[key] % base == 0:
                for node in (edges[key].source, edges[key].sink):
                    touching[node].discard(key)
                    if not touching[node]:
                        del touching[node]
    return value


def _cycle(
    edges: Mapping[Key, Edge], touching: dict[Node, set[Key]], rng: random.Random
) -> list[tuple[Key, int]]:
    """A cycle of unrounded edges: (edge, +1 when walked from its source to its sink, else -1).

    Every node touched by an unrounded edge is touched by at least two (its balance is a
    multiple of the base, and so is every rounded edge), so a walk never gets stuck.
    """
    start = next(iter(touching))
    node, came_by = start, None
    seen: dict[Node, int] = {start: 0}
    walk: list[tuple[Key, int]] = []
    while True:
        choices = sorted((k for k in touching[node] if k != came_by), key=repr)
        key = choices[rng.randrange(len(choices))]
        edge = edges[key]
        forward = edge.source == node
        walk.append((key, 1 if forward else -1))
        node, came_by = (edge.sink if forward else edge.source), key
        if node in seen:
            return walk[seen[node] :]
        seen[node] = len(walk)


def _move(
    cycle: list[tuple[Key, int]],
    value: dict[Key, int],
    base: int,
    rng: random.Random,
    target: tuple[Key, int] | None,
) -> None:
    """Move the counts along the cycle until one more is a multiple of the base."""

    def room(key: Key, sign: int) -> int:  # how far value[key] may go in direction sign
        rest = value[key] % base
        return base - rest if sign > 0 else rest

    up = min(room(key, sign) for key, sign in cycle)
    down = min(room(key, -sign) for key, sign in cycle)
    direction = 1 if rng.randrange(up + down) < down else -1  # unbiased: P(up) = down/(up+down)
    if target is not None:
        for key, sign in cycle:
            if key == target[0]:
                direction = sign if target[1] > value[key] else -sign
    step = up if direction > 0 else down
    for key, sign in cycle:
        value[key] += direction * sign * step


# --- the networks of what the district and the nation see ---------------------------------


def table_network(cells: Mapping[Any, int]) -> dict[Key, Edge]:
    """A two-way table (rows × columns) with its row, column and grand totals.

    Keys: ("cell", row, column), ("row", row), ("column", column), ("total",).
    """
    edges: dict[Key, Edge] = {}
    rows: dict[Hashable, int] = {}
    columns: dict[Hashable, int] = {}
    for (row, column), n in cells.items():
        edges[("cell", row, column)] = Edge(("r", row), ("c", column), n)
        rows[row] = rows.get(row, 0) + n
        columns[column] = columns.get(column, 0) + n
    for row, n in rows.items():
        edges[("row", row)] = Edge("start", ("r", row), n)
    for column, n in columns.items():
        edges[("column", column)] = Edge(("c", column), "end", n)
    edges[("total",)] = Edge("end", "start", sum(rows.values()))
    return edges


def partition_network(parts: Mapping[Any, int]) -> dict[Key, Edge]:
    """Counts that add up to a total. Keys: ("part", name), ("total",)."""
    edges: dict[Key, Edge] = {("part", name): Edge("all", "each", n) for name, n in parts.items()}
    edges[("total",)] = Edge("each", "all", sum(parts.values()))
    return edges


def chain_network(first: Mapping[Any, int], second: Mapping[Any, int]) -> dict[Key, Edge]:
    """Two cross-tables sharing their middle field: (a, b) counts and (b, c) counts.

    The district's outcomes × registration and registration × answer: keys ("a", a), ("b", b),
    ("c", c) for the three fields' counts, ("ab", a, b), ("bc", b, c) for the joint counts (not
    published: they keep the rounded margins the counts of appeals that follow the registry's
    rules, e.g. no answer without a registration), and ("total",).
    """
    edges: dict[Key, Edge] = {}
    margins: dict[tuple[str, Hashable], int] = {}
    for (a, b), n in first.items():
        edges[("ab", a, b)] = Edge(("a", a), ("b-in", b), n)
        margins[("a", a)] = margins.get(("a", a), 0) + n
        margins[("b", b)] = margins.get(("b", b), 0) + n
    for (b, c), n in second.items():
        edges[("bc", b, c)] = Edge(("b-out", b), ("c", c), n)
        margins[("c", c)] = margins.get(("c", c), 0) + n
    for (field, name), n in margins.items():
        if field == "a":
            edges[("a", name)] = Edge("start", ("a", name), n)
        elif field == "b":
            edges[("b", name)] = Edge(("b-in", name), ("b-out", name), n)
        else:
            edges[("c", name)] = Edge(("c", name), "end", n)
    edges[("total",)] = Edge("end", "start", sum(first.values()))
    return edges
