from __future__ import annotations

import base64
from typing import Any, cast

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts import services
from trustbox.accounts.access import second_factor_passed, staff_required, staff_user
from trustbox.accounts.forms import CodeForm, LanguageForm, LoginForm, PasswordChangeForm
from trustbox.accounts.throttle import second_factor_check
from trustbox.lib.mail import mail_language


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        auth_login(self.request, form.get_user())
        device = cast(LoginForm, form).device
        if device is not None:
            # The code came with the password (the account asked for it): both factors passed.
            otp_login(self.request, device)
            return redirect(self.get_redirect_url() or reverse(settings.LOGIN_REDIRECT_URL))
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        url = reverse("accounts:second_factor")
        next_url = self.get_redirect_url()
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator code, or set the authenticator up on the first login."""
    user = request.user
    if second_factor_passed(request):
        return redirect(_safe_next(request))

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Counted per account and spent once (trustbox/accounts/throttle.py).
            device = second_factor_check(
                user=user,  # type: ignore[arg-type]
                code=form.cleaned_data["code"],
                confirmed=not setting_up,
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if setting_up:
                services.second_factor_confirm(user=user, device=device)  # type: ignore[arg-type]
            otp_login(request, device)
            return redirect(_safe_next(request))

    context: dict[str, Any] = {"form": form, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
        context["secret"] = _grouped(base64.b32encode(device.bin_key).decode())
    return render(request, "accounts/second_factor.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("core:home")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not second_factor_passed(request):
            return redirect("accounts:second_factor")
        return super().dispatch(request, *args, **kwargs)

    @method_decorator(sensitive_post_parameters())
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, *args, **kwargs)

    @transaction.atomic
    def form_valid(self, form: Any) -> HttpResponse:
        keeps_key = services.password_record(
            user=form.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
        )
        response = super().form_valid(form)
        messages.success(self.request, _("Your new password is saved."))
        if not keeps_key:
            messages.warning(
                self.request,
                _(
                    "Your personal key was locked with an earlier password, so your part of the "
                    "box "
                    "key could not be moved to the new one. Ask the commission to re-issue it."
                ),
            )
        return response


class LogoutView(auth_views.LogoutView):
    def get_default_redirect_url(self) -> str:
        return reverse("core:home")


@staff_required
def account(request: HttpRequest) -> HttpResponse:
    """The person's own page: who they are, the language of their email, their password."""
    user = staff_user(request)
    form = LanguageForm(request.POST or None, initial={"language": mail_language(user)})
    if request.method == "POST" and form.is_valid():
        services.language_choose(user=user, language=form.cleaned_data["language"])
        messages.success(request, _("Your email will be written in this language."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})
