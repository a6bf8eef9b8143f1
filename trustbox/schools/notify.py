"""The director's invitation: where and as whom to sign in, in their language; never a password."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from trustbox.accounts.models import User
from trustbox.lib.mail import mail_send
from trustbox.schools.models import School
from trustbox.schools.services import login_address


def director_invitation_send(*, user: User, school: School) -> int:
    """Email the director the login address and the login; OSError if the mail server fails."""
    return mail_send(
        user,
        subject=gettext_lazy("Trust Box: your director's account"),
        template="schools/mail/director_invitation",
        context={"school": school.name, "link": login_address(), "login": user.username},
    )
