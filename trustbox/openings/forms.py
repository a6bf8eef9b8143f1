from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trustbox.box.attachments import AttachmentError, clean_attachments
from trustbox.box.envelope import Category, Envelope, Kind, Writer
from trustbox.box.forms import MultipleFileField


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class StartForm(forms.Form):
    """Starting a gathering asks again for both factors of the starter, at that moment.

    A stolen or forged session is not enough to start gathering the commission's parts; and
    where the shared screen is goes into the email every member gets.
    """

    place = forms.CharField(
        label=_("Where the commission gathers"),
        max_length=100,
        required=False,
        help_text=_(
            "For example: the school library. Every member gets an email saying who started "
            "this, where and the code on this screen."
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "start_%s")
        super().__init__(*args, **kwargs)


class JoinForm(PasswordForm):
    """A member joins on their own device: the code read on the shared screen, and the password."""

    code = forms.CharField(
        label=_("Code on the shared screen"),
        max_length=30,
        help_text=_(
            "The screen where the opening was started shows a code like 1A2B-3C4D-5E6F. "
            "Type it here: your part is sealed only to the key with that code."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    field_order = ["code", "password"]

    def __init__(self, *args: Any, renewal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if renewal:
            self.fields["code"].help_text = _(
                "The screen where the gathering was started shows a code like 1A2B-3C4D-5E6F. "
                "Type it here: your part is sealed only to the key with that code."
            )


class JoinHereForm(forms.Form):
    """Another member joins (or confirms) on this screen: login, password, authenticator code.

    Its fields have ids of their own: the screen shows the member's own password field too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "here_%s")
        super().__init__(*args, **kwargs)

    username = forms.CharField(
        label=_("Login"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReserveShareForm(forms.Form):
    words = forms.CharField(
        label=_("Words of the reserve part, in order"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )


class OpenForm(forms.Form):
    box_note = forms.CharField(
        label=_("State of the box in the foyer and its seals"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the box is whole, the seal is intact. Written in the act."),
    )
    copies = forms.IntegerField(label=_("Copies of the act"), min_value=1, max_value=10, initial=2)


class PaperAppealForm(forms.Form):
    """A paper appeal from the physical box, typed in (a photo or scan attached) at the opening."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.MESSAGE)
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, initial=Category.OTHER
    )
    text = forms.CharField(
        label=_("Text of the appeal"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    urgent = forms.BooleanField(label=_("Urgent: someone is in danger"), required=False)
    name = forms.CharField(
        label=_("From whom (empty if anonymous)"), max_length=200, required=False
    )
    class_or_role = forms.CharField(label=_("Class or role"), max_length=100, required=False)
    contact = forms.CharField(label=_("Return address"), max_length=200, required=False)
    scans = MultipleFileField(label=_("Photo or scan of the paper (optional)"), required=False)

    def clean_scans(self) -> list[Any]:
        """The scans rebuilt within the budget of one appeal (staff have no hourly budget)."""
        files = [(upload.name, upload.read()) for upload in self.cleaned_data["scans"]]
        try:
            return clean_attachments(files)
        except AttachmentError as error:
            raise forms.ValidationError(str(error)) from error

    def envelope(self) -> Envelope:
        data = self.cleaned_data
        writer = (
            Writer(name=data["name"], class_or_role=data["class_or_role"], contact=data["contact"])
            if data["name"].strip()
            else None
        )
        return Envelope(
            kind=data["kind"],
            category=data["category"],
            text=data["text"],
            urgent=data["urgent"],
            writer=writer,
            attachments=data["scans"],
        )
