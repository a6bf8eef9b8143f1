from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.accounts.throttle import code_asked, login_check, password_check
from trustbox.lib.languages import NATIVE_NAMES


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits shown in the app."))
        return code


class LoginForm(AuthenticationForm):
    """The login: a password, and the authenticator code with it once the account asks for it.

    The code field is shown, and a code taken, only while the account takes the password only
    with the code (too many wrong passwords lately, trustbox.accounts.throttle.code_asked).
    """

    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.device: TOTPDevice | None = None
        self._code_field = self.fields.pop("code")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            code = "".join(str(self.data.get("code") or "").split())[:12]
            try:
                self.user_cache, self.device = login_check(
                    request=self.request, username=username, password=password, code=code
                )
            except ValidationError:
                if code_asked(username):
                    self.fields["code"] = self._code_field
                raise
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the old password checked through the throttle of prompts."""

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        password_check(user=cast(User, self.user), password=old_password)
        return old_password


class LanguageForm(forms.Form):
    """The language of the person's email, each named in itself."""

    language = forms.ChoiceField(
        label=_("Language of your email"),
        choices=list(NATIVE_NAMES.items()),
        widget=forms.RadioSelect,
        help_text=_("Every email Trust Box sends you is written in this language."),
    )
