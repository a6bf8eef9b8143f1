"""What a new commission order costs the registry: whoever leaves loses it at once."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.schools.models import School


def registry_closed_to_leavers(
    school: School, current: Commission, members: Sequence[User]
) -> list[str]:
    """Name the people who hold the registry now and lose it with the new order."""
    leaving = list(
        User.objects.filter(registry_wraps__registry_key__school=school)
        .exclude(pk__in=[member.pk for member in members])
        .distinct()
        .order_by("full_name")
    )
    if not leaving:
        return []
    return [
        _(
            "The registry closes at once to those who leave the commission: %(names)s. Each "
            "keeps only the appeals assigned to them."
        )
        % {"names": ", ".join(person.full_name for person in leaving)}
    ]
