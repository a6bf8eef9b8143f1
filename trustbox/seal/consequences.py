"""What a new commission order costs the digital seal: the box key renewed by a quorum."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.schools.models import School
from trustbox.seal.models import BoxKey, MemberKey


def _names(people: Sequence[User]) -> str:
    return ", ".join(person.full_name for person in people)


def box_key_renewal_needed(
    school: School, current: Commission, members: Sequence[User]
) -> list[str]:
    """Say who must gather to renew the box key for the new members, and what comes first."""
    box_key = BoxKey.objects.current(school)
    if box_key is None:
        return []
    holders = list(User.objects.filter(key_shares__box_key=box_key).order_by("full_name"))
    staying = [person for person in holders if person in members]
    lines = [
        _(
            "The box key must be renewed for the new commission: %(k)d of the people who hold "
            "a part of the current key gather on one screen, with their passwords: %(names)s. "
            "Those who leave the commission may still take part in this renewal; a reserve part "
            "from the safe counts as one person, but at least one person is needed."
        )
        % {"k": box_key.threshold, "names": _names(holders)}
    ]
    keyless = [person for person in members if not MemberKey.objects.filter(user=person).exists()]
    if keyless:
        lines.append(
            _(
                "Before the renewal, each of these members sets a personal key on the page "
                "«Digital seal»: %(names)s."
            )
            % {"names": _names(keyless)}
        )
    if len(staying) < box_key.threshold:
        lines.append(
            _(
                "Until the key is renewed the box cannot be opened: too few members of the "
                "new commission hold a part of the current key."
            )
        )
    else:
        lines.append(
            _(
                "Until the key is renewed, only the members who stay and hold a part of the "
                "current key can open the box; the new members cannot."
            )
        )
    return lines
