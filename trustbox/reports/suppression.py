"""Small counts never leave the commission: primary and secondary suppression of a table.

A table that leaves the commission (the district's and the nation's views and exports) is
a grid of counts with its row totals, column totals and grand total. The rule
(docs/privacy.md):

1. Primary: a count from 1 to SMALL_COUNT - 1 is hidden and shown as "<3". Zero is shown.
2. Secondary: every row and every column is an equation (its cells add up to its total). In
   none of them may exactly one number be hidden, or the others would give it away by
   subtraction. While some equation has exactly one hidden number, hide one more in it: its
   smallest shown non-zero cell (never a total that another view publishes, when `fixed`
   says so). Hidden that way, a count shows as "×".
3. Totals are the true totals of all the cells, never sums of the shown cells.

This is the classic cell suppression of statistical offices ("at least two hidden cells in
every row and column that has one"); what it does not do (an adversary solving the whole
system of equations for intervals) is said in docs/privacy.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

PRIMARY = "primary"
SECONDARY = "secondary"


def threshold() -> int:
    return int(settings.SMALL_COUNT)


def is_small(count: int) -> bool:
    return 0 < count < threshold()


def shown(count: int | None, hidden: str = "") -> str:
    """How one count is written in anything that leaves the commission."""
    if count is None:
        return "—"
    if hidden == PRIMARY or (not hidden and is_small(count)):
        return f"<{threshold()}"
    if hidden == SECONDARY:
        return "×"
    return str(count)


@dataclass
class Cell:
    value: int
    hidden: str = ""

    def __str__(self) -> str:
        return shown(self.value, self.hidden)

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden)


@dataclass
class Table:
    """A suppressed grid: cells[r][c], with row, column and grand totals (also Cells)."""

    rows: list[str]
    columns: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    secondary: int = field(default=0)

    def row(self, index: int) -> list[Cell]:
        return self.cells[index]


def _equations(table: Table) -> list[list[Cell]]:
    """Every additive relation of the table: each row and each column, with its total."""
    equations = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    for c, total in enumerate(table.column_totals):
        equations.append([row[c] for row in table.cells] + [total])
    equations.append([*table.row_totals, table.total])
    equations.append([*table.column_totals, table.total])
    return equations


def suppress(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    keep_totals: bool = False,
    keep_row_totals: bool = False,
) -> Table:
    """Suppress a grid of counts with its totals (primary, then secondary until stable).

    With keep_totals, no column total and not the grand total is hidden to protect a cell
    (they are published elsewhere: the nation shows a district's totals by category); other
    cells are hidden instead. With one column the cells are their rows' totals (and with one
    row, their columns'), so that a number is never shown twice under two names. With
    keep_row_totals, the rows' totals and the grand total are kept instead (the nation's table
    of districts keeps each district's total, which the district's own view shows).
    """
    cells = [[Cell(v) for v in row] for row in values]
    if len(columns) == 1:
        row_totals = [row[0] for row in cells]
    else:
        row_totals = [Cell(sum(row)) for row in values]
    if len(rows) == 1:
        column_totals = list(cells[0])
    else:
        column_totals = [Cell(sum(row[c] for row in values)) for c in range(len(columns))]
    if len(rows) == 1:
        total = row_totals[0]
    elif len(columns) == 1:
        total = column_totals[0]
    else:
        total = Cell(sum(sum(row) for row in values))
    table = Table(list(rows), list(columns), cells, row_totals, column_totals, total)
    everything = [cell for row in cells for cell in row] + row_totals + column_totals + [total]
    for cell in {id(cell): cell for cell in everything}.values():
        if is_small(cell.value):
            cell.hidden = PRIMARY
    totals = {id(cell) for cell in [*row_totals, *column_totals, total]}
    keep_shown: set[int] = set()
    if keep_totals:
        keep_shown |= {id(cell) for cell in [*column_totals, total]}
    if keep_row_totals:
        keep_shown |= {id(cell) for cell in [*row_totals, total]}
    changed = True
    while changed:
        changed = False
        for equation in _equations(table):
            hidden = [cell for cell in equation if cell.is_hidden]
            if len(hidden) != 1:
                continue
            # The smallest inner cell above zero first; then an inner zero; a total last; a kept
            # total only when nothing else is left (a protected cell comes before consistency).
            candidates = [cell for cell in equation if not cell.is_hidden]
            candidates.sort(
                key=lambda cell: (
                    id(cell) in keep_shown,
                    id(cell) in totals,
                    cell.value == 0,
                    cell.value,
                )
            )
            candidates[0].hidden = SECONDARY
            table.secondary += 1
            changed = True
    return table
