"""Wrong passwords, counted per account, that nobody can turn into a lockout of someone else.

Every password check of the site goes through here: the login, and the prompts that ask a
signed-in person for their password again (unlocking the registry, joining an opening, the act,
the personal key, a new password). Counts live in memory (trustbox.lib.limits), by login name:
no address is looked at, so none is stored.

- The login: after PASSWORD_FAILURE_LIMIT wrong passwords for an account in a window of
  PASSWORD_COOLOFF_MINUTES, from anywhere, the password alone no longer signs in until the
  window ends; the password together with the authenticator code still does. A stranger can
  make the account ask for the code (which the person has anyway), never keep her out.
  The code is compared first, without touching the device's own throttle: a guess without
  the code costs no password hash and tells nothing about the password.
- The prompts: after as many wrong passwords in a window the prompts of the account pause
  until the window ends. Only the person's own sessions reach them (and the shared screen of an
  opening, which asks for the code before it checks a password).

Each check counts before it hashes, so that parallel guesses cannot slip past the limit; a
right password takes its count back.
"""

from __future__ import annotations

import time
from typing import cast

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.lib.limits import Counter


def _counter(scope: str, username: str) -> Counter:
    return Counter(f"password:{scope}:{username}", settings.PASSWORD_COOLOFF_MINUTES * 60)


def _paused(counter: Counter) -> ValidationError:
    minutes = counter.minutes_left()
    return ValidationError(
        ngettext(
            "Too many wrong passwords. Wait %(minutes)d minute and try again.",
            "Too many wrong passwords. Wait %(minutes)d minutes and try again.",
            minutes,
        )
        % {"minutes": minutes},
        code="paused",
    )


def code_device(user: User | None, code: str) -> TOTPDevice | None:
    """The person's authenticator if the code fits it now; the device is left untouched.

    Unlike TOTPDevice.verify_token this neither counts a wrong code against the device (a
    stranger could otherwise pause the real person's second factor) nor spends the code.
    """
    code = "".join(code.split())
    if user is None or not (code.isascii() and code.isdigit()):
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if totp.verify(int(code), device.tolerance, device.last_t + 1):
            return device
    return None


def _wrong_login() -> ValidationError:
    return ValidationError(
        _("The login, the password or the code is not right."), code="invalid_login"
    )


def login_check(
    *, request: HttpRequest | None, username: str, password: str, code: str = ""
) -> tuple[User, TOTPDevice | None]:
    """The account the login form names, and its device when a right code came with it.

    Raise ValidationError: code "code_needed" while the account takes the password only
    together with the code, "invalid_login" when something is not right.
    """
    device = None
    if code:
        device = code_device(User.objects.filter(username=username).first(), code)
        if device is None:
            raise _wrong_login()
    counter = _counter("login", username)
    tries = counter.add()
    limit = settings.PASSWORD_FAILURE_LIMIT
    if tries > limit and device is None:
        raise ValidationError(
            _(
                "%(paused)s Or sign in now with your password and the code from your "
                "authenticator app together."
            )
            % {"paused": _paused(counter).message},
            code="code_needed",
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        if tries >= limit and device is None:
            raise ValidationError(
                _(
                    "Too many wrong passwords for this account. For a while it takes the "
                    "password only together with the code from your authenticator app."
                ),
                code="code_needed",
            )
        raise _wrong_login()
    counter.take_back()
    if device is not None and not device.verify_token("".join(code.split())):
        raise _wrong_login()
    return cast(User, user), device


def password_check(*, user: User, password: str, code: str | None = None) -> None:
    """Check a password asked again of a signed-in person; raise ValidationError if wrong.

    With a code (another member joining on a shared screen), the code is checked first, as
    at the login, so that nobody without it can count wrong passwords against the account.
    """
    device = None
    if code is not None:
        device = code_device(user, code)
        if device is None:
            raise _wrong_login()
    counter = _counter("prompt", user.get_username())
    tries = counter.add()
    limit = settings.PASSWORD_FAILURE_LIMIT
    if tries > limit:
        raise _paused(counter)
    if not user.check_password(password):
        if tries >= limit:
            raise _paused(counter)
        if code is not None:
            raise _wrong_login()
        raise ValidationError(_("This is not your password."), code="wrong_password")
    counter.take_back()
    if device is not None and not device.verify_token("".join(str(code).split())):
        raise _wrong_login()
