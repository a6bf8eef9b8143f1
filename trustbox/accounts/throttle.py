"""Wrong passwords, counted per account, that nobody can turn into a lockout of someone else.

Every password check of the site goes through here: the login, and the prompts that ask a
signed-in person for their password again (unlocking the registry, joining an opening, the act,
the personal key, a new password). Counts live in memory (trustbox.lib.limits), by login name:
no address is looked at, so none is stored.

- The login: after PASSWORD_FAILURE_LIMIT wrong passwords for an account in a window of
  PASSWORD_COOLOFF_MINUTES, from anywhere, the password alone no longer signs in until the
  window ends; the password together with the authenticator code still does. A stranger can
  make the account ask for the code (which the person has anyway), never keep her out. Only
  then does the login take a code (the page shows the field exactly then). Each right code
  is spent before the password is tried, so it buys one try; after as many more wrong
  passwords that came with right codes the login waits for the window's end.
- The prompts: after as many wrong passwords in a window the prompts of the account pause
  until the window ends. Only the person's own sessions reach them, and the shared screen of
  an opening, where a wrong password counts only when it came with the person's right code.
- Wrong authenticator codes are counted per account on every page that takes one (the login,
  the page after the password, the shared screen), but only those typed with the right
  password: a stranger cannot pause anyone's codes; someone who has the password gets
  CODE_FAILURE_LIMIT guesses a window, then every code of the account waits for its end.
- Every answer to a login and a code does the same work: the password is hashed once whether
  the code, the password or both are wrong (Django hashes for an unknown login too).

Each check counts before it decides, so that parallel guesses cannot slip past the limits; a
right password takes its count back.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.authenticators import code_spend
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


def _codes_counter(username: str) -> Counter:
    """Wrong authenticator codes typed with the account's right password, on every page."""
    return Counter(f"code:{username}", settings.PASSWORD_COOLOFF_MINUTES * 60)


def _codes_paused(counter: Counter) -> ValidationError:
    minutes = counter.minutes_left()
    return ValidationError(
        ngettext(
            "Too many wrong authenticator codes were typed with this password. Wait "
            "%(minutes)d minute and try again. If they were not yours, change your password.",
            "Too many wrong authenticator codes were typed with this password. Wait "
            "%(minutes)d minutes and try again. If they were not yours, change your password.",
            minutes,
        )
        % {"minutes": minutes},
        code="codes_paused",
    )


def _wrong_login() -> ValidationError:
    return ValidationError(
        _("The login, the password or the code is not right."), code="invalid_login"
    )


def _both_factors(
    *,
    request: HttpRequest | None,
    username: str,
    password: str,
    code: str,
    counter: Counter,
    limit: int,
) -> tuple[User, TOTPDevice]:
    """The person, if the password and the authenticator code are both right.

    The code is spent first, so one code buys at most one counted try of the password; the
    password is then hashed once whatever the code was (same work, whatever is wrong). A wrong
    code counts against the account only when the password was right: a stranger cannot pause
    anyone's codes, and someone who has the password gets CODE_FAILURE_LIMIT guesses a window.
    `counter` counts the account's wrong passwords; at `limit` nothing more is tried.
    """
    if counter.get() >= limit:
        raise _paused(counter)
    device = code_spend(User.objects.filter(username=username).first(), code)
    # With a right code the password is tried: counted before it is hashed.
    if device is not None and counter.add() > limit:
        counter.take_back()
        raise _paused(counter)
    user = authenticate(request, username=username, password=password)
    codes = _codes_counter(username)
    wrong_codes = codes.add(0 if user is None else 1)  # the same cache work either way
    if user is None or device is None:
        raise _wrong_login()
    counter.take_back()
    codes.take_back()
    if wrong_codes > settings.CODE_FAILURE_LIMIT:
        raise _codes_paused(codes)
    return cast(User, user), device


def code_asked(username: str) -> bool:
    """Whether the login takes this account's password only with the code (and shows it)."""
    tries = _counter("login", username).get()
    return settings.PASSWORD_FAILURE_LIMIT <= tries < 2 * settings.PASSWORD_FAILURE_LIMIT


def login_check(
    *, request: HttpRequest | None, username: str, password: str, code: str = ""
) -> tuple[User, TOTPDevice | None]:
    """The account the login form names, and its device when a right code came with it.

    A code is taken only while the account asks for it (code_asked). Raise ValidationError:
    "code_needed" while the account takes the password only with the code, "paused" once the
    tries with a code are used up too, "invalid_login" when something is not right.
    """
    counter = _counter("login", username)
    limit = settings.PASSWORD_FAILURE_LIMIT
    if code and code_asked(username):
        # Tries of the password with a right code: a second allowance of the same size.
        return _both_factors(
            request=request,
            username=username,
            password=password,
            code=code,
            counter=counter,
            limit=2 * limit,
        )
    if counter.get() >= 2 * limit:
        raise _paused(counter)
    tries = counter.add()
    if tries > limit:
        counter.take_back()  # not tried: nothing hashed
        raise _code_needed(counter)
    user = authenticate(request, username=username, password=password)
    if user is None:
        if tries >= limit:
            minutes = counter.minutes_left()
            raise ValidationError(
                ngettext(
                    "Too many wrong passwords for this account. For %(minutes)d minute it "
                    "takes the password only together with the code from your authenticator "
                    "app.",
                    "Too many wrong passwords for this account. For %(minutes)d minutes it "
                    "takes the password only together with the code from your authenticator "
                    "app.",
                    minutes,
                )
                % {"minutes": minutes},
                code="code_needed",
            )
        raise _wrong_login()
    counter.take_back()
    return cast(User, user), None


def _code_needed(counter: Counter) -> ValidationError:
    return ValidationError(
        _(
            "%(paused)s Or sign in now with your password and the code from your "
            "authenticator app together."
        )
        % {"paused": _paused(counter).message},
        code="code_needed",
    )


def password_check(*, user: User, password: str, code: str | None = None) -> None:
    """Check a password asked again of a signed-in person; raise ValidationError if wrong.

    With a code (the person proves both factors again), see member_check.
    """
    if code is not None:
        member_check(request=None, username=user.get_username(), password=password, code=code)
        return
    counter = _counter("prompt", user.get_username())
    tries = counter.add()
    limit = settings.PASSWORD_FAILURE_LIMIT
    if tries > limit:
        raise _paused(counter)
    if not user.check_password(password):
        if tries >= limit:
            raise _paused(counter)
        raise ValidationError(_("This is not your password."), code="wrong_password")
    counter.take_back()


def member_check(*, request: HttpRequest | None, username: str, password: str, code: str) -> User:
    """A member proving login, password and authenticator code on a shared screen.

    Wrong passwords count on the account's prompts (only those that came with a right code:
    nobody without the person's phone pauses her prompts); wrong codes as at the login.
    """
    user, _device = _both_factors(
        request=request,
        username=username,
        password=password,
        code=code,
        counter=_counter("prompt", username),
        limit=settings.PASSWORD_FAILURE_LIMIT,
    )
    return user


def second_factor_check(*, user: User, code: str, confirmed: bool = True) -> TOTPDevice:
    """The code asked after the password at the login (or to set the authenticator up).

    The password was right, so every wrong code counts against the account; after
    CODE_FAILURE_LIMIT in a window every code is refused until the window ends.
    """
    codes = _codes_counter(user.get_username())
    tries = codes.add()
    if tries > settings.CODE_FAILURE_LIMIT:
        codes.take_back()  # not compared
        raise _codes_paused(codes)
    device = code_spend(user, code, confirmed=confirmed)
    if device is None:
        if tries == settings.CODE_FAILURE_LIMIT:
            raise _codes_paused(codes)
        raise ValidationError(
            _("This code is not right. Check the app and try again."), code="wrong_code"
        )
    codes.take_back()
    return device
