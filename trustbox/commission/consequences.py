"""What a new order costs, said by the apps that keep something for the commission.

The director confirms a new order before it replaces the one in force, having read what it
costs: the box key to renew by a quorum (the seal says who must gather), the registry closed
at once to the people who leave (the registry says who). Those apps sit above this one, so
each registers a source of sentences from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trustbox.accounts.models import User
    from trustbox.commission.models import Commission
    from trustbox.schools.models import School

# A source answers, in the active language: what follows if `members` replace `current`?
ConsequenceSource = Callable[["School", "Commission", Sequence["User"]], list[str]]
_SOURCES: list[ConsequenceSource] = []


def order_consequence_register(source: ConsequenceSource) -> None:
    """Add a source of consequences of a new order; called from an AppConfig.ready()."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def order_consequences(
    *, school: School, current: Commission, members: Sequence[User]
) -> list[str]:
    """Every consequence of replacing the commission in force by these members."""
    return [line for source in _SOURCES for line in source(school, current, members)]
