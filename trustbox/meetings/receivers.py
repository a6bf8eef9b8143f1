"""How meetings react to what happens below: an election recorded, a password changed."""

from __future__ import annotations

from typing import Any

from trustbox.accounts.models import User
from trustbox.commission.models import Commission, Election
from trustbox.meetings.protocols import first_session_record
from trustbox.meetings.signing import signing_key_relock


def election_kept_as_protocol(
    sender: Any, *, commission: Commission, election: Election, by: User, **kwargs: Any
) -> None:
    """The first session's vote becomes a held meeting with its protocol."""
    first_session_record(election=election, by=by)


def signing_key_follows_password(
    sender: Any, *, user: User, old_password: str, new_password: str, **kwargs: Any
) -> bool:
    """Re-lock the signing key under the new password; False if the old one did not open it."""
    return signing_key_relock(user=user, old_password=old_password, new_password=new_password)
