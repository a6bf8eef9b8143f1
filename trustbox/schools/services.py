"""Changes of state for schools and their people, each with its audit row."""

from __future__ import annotations

import secrets

from django.db import transaction

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.schools.actions import PersonAction
from trustbox.schools.models import Membership, School

# Unambiguous letters and digits: an initial password is read aloud or copied from paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def initial_password() -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


@transaction.atomic
def person_add(
    *,
    school: School,
    by: User | None,
    full_name: str,
    username: str,
    kind: str,
    position: str = "",
    email: str = "",
    password: str | None = None,
) -> tuple[Membership, str]:
    """Create a staff account at the school; return its membership and initial password.

    The person must choose their own password at the first login.
    """
    chosen = password or initial_password()
    user = User(username=username, full_name=full_name, email=email)
    user.set_password(chosen)
    user.must_change_password = password is None
    user.save()
    membership = Membership.objects.create(user=user, school=school, kind=kind, position=position)
    audit_write(
        school=school,
        actor=by,
        action=PersonAction.ADD,
        target=user,
        details={"kind": kind},
    )
    return membership, chosen
