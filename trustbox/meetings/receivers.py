"""How meetings react to what happens below: an election recorded."""

from __future__ import annotations

from typing import Any

from trustbox.accounts.models import User
from trustbox.commission.models import Commission, Election
from trustbox.meetings.protocols import first_session_record


def election_kept_as_protocol(
    sender: Any, *, commission: Commission, election: Election, by: User, **kwargs: Any
) -> None:
    """The first session's vote becomes a held meeting with its protocol."""
    first_session_record(election=election, by=by)
