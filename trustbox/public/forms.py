"""The writer's forms: the appeal, the receipt code, writing back. All sent once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from trustbox.box.attachments import MAX_FILES, AttachmentError, Meter, clean_attachments
from trustbox.box.envelope import KIOSK, ONLINE, Category, Envelope, Kind, Writer
from trustbox.box.forms import MultipleFileField, MultipleFileInput, plain_text, readable_text
from trustbox.registry.writer import WRITER_MESSAGE_MAX

MAX_TEXT = 5000
TOKEN_SALT = "trustbox.box.submission"


def submission_token() -> str:
    return signing.dumps(get_random_string(16), salt=TOKEN_SALT)


class SentOnceForm(forms.Form):
    """A public form with a signed token, so that a reload or a double tap sends it once."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = submission_token()

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        try:
            signing.loads(token, salt=TOKEN_SALT, max_age=24 * 3600)
        except signing.BadSignature as error:
            raise forms.ValidationError(_("The form is out of date. Send it again.")) from error
        return token


# A child cannot tell the regulation's six kinds apart, so the form offers four plain ones and
# stores the kind of the regulation each one means. "Something bad is happening" is a complaint
# (the writer asks the school to act), "an idea" a proposal, "thank you" a gratitude, anything
# else a message, which is also the default. The responsible person corrects the kind when
# registering the appeal; the paper form of an opening still offers all six kinds.
WRITER_KINDS = [
    (Kind.COMPLAINT, _("Something bad is happening")),
    (Kind.PROPOSAL, _("I have an idea")),
    (Kind.GRATITUDE, _("I want to say thank you")),
    (Kind.MESSAGE, _("Something else")),
]


class WriterKindField(forms.ChoiceField):
    """The four plain kinds on the form; any kind of the regulation is still taken if sent."""

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(value) or value in Kind.values


class AppealForm(SentOnceForm):
    """The public appeal: works without JavaScript, keeps what was typed on any error.

    The text comes first; the name, class and contact are read only for a signed appeal.
    """

    text = forms.CharField(
        label=_("Your appeal"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "true"}),
        error_messages={
            "required": _("Write your appeal: the text is empty."),
            "max_length": _(
                "The text is too long: at most %(limit_value)d characters "
                "(you have %(show_value)d)."
            ),
        },
    )
    kind = WriterKindField(
        label=_("What are you writing?"),
        choices=WRITER_KINDS,
        initial=Kind.MESSAGE,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", _("— choose if you like —")), *Category.choices],
        required=False,
    )
    urgent = forms.BooleanField(
        label=_("Urgent: someone is in danger"),
        required=False,
        help_text=_("The commission is told at once that an urgent appeal is waiting."),
    )
    signed = forms.ChoiceField(
        label=_("Who are you?"),
        choices=[("anonymous", _("I stay anonymous")), ("signed", _("I give my name"))],
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    class_or_role = forms.CharField(
        label=_("Class or who you are (parent, teacher…)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact = forms.CharField(
        label=_("How to answer you (phone, email or address)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    attachments = MultipleFileField(
        label=_("Photos or PDF (optional)"),
        required=False,
        help_text=_(
            "Up to 3 files, 5 MB each (a PDF up to 20 pages). Only what can be seen is kept: "
            "location, camera data and anything hidden in a file are removed."
        ),
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args: Any, skipped_uploads: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skipped_uploads = skipped_uploads or []
        self.cleaned_attachments: list[Any] = []

    def clean_text(self) -> str:
        return readable_text(
            self.cleaned_data["text"], empty_message=_("Write your appeal: the text is empty.")
        )

    def clean_attachments(self) -> list[Any]:
        """Check what the upload handler skipped; the files are decoded only once everything
        else is right (``rebuild_attachments``): an error anywhere loses them anyway."""
        files = self.cleaned_data["attachments"]
        if "count" in self.skipped_uploads or len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most 3 files can be attached."))
        if "size" in self.skipped_uploads:
            raise forms.ValidationError(_("A file is larger than 5 MB."))
        if "limit" in self.skipped_uploads:
            raise forms.ValidationError(
                _(
                    "Too many files are coming from here right now. Please try again in an hour, "
                    "or send the appeal without files."
                )
            )
        return files

    def rebuild_attachments(self, meter: Meter | None) -> bool:
        """Rebuild the valid form's files within the appeal's budget and the client's (meter);
        False with the reason, naming the file, on the form, whose text is kept."""
        files = [(upload.name, upload.read()) for upload in self.cleaned_data["attachments"]]
        try:
            self.cleaned_attachments = clean_attachments(files, meter=meter)
        except AttachmentError as error:
            self.add_error("attachments", str(error))
            self._files_lost()
            return False
        return True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("signed") == "signed" and not plain_text(data.get("name", "")):
            self.add_error("name", _("Write your name, or choose to stay anonymous."))
        if self.errors and self.files:
            self._files_lost()
        return data

    def _files_lost(self) -> None:
        if str(self.data.get("text", "")).strip():
            message = _(
                "Your text is kept below. Files cannot be kept by the browser: attach them again."
            )
        else:
            message = _("Files cannot be kept by the browser: attach them again.")
        self.add_error(None, message)

    def envelope(self, *, language: str, kiosk: bool = False) -> Envelope:
        data = self.cleaned_data
        writer = None
        if data["signed"] == "signed":
            writer = Writer(
                name=plain_text(data["name"]),
                class_or_role=plain_text(data["class_or_role"]),
                contact=plain_text(data["contact"]),
            )
        return Envelope(
            kind=data["kind"],
            category=data["category"] or Category.OTHER,
            text=data["text"],
            urgent=data["urgent"],
            writer=writer,
            language=language,
            attachments=self.cleaned_attachments,
            channel=KIOSK if kiosk else ONLINE,
        )


class ReceiptForm(forms.Form):
    label_suffix = ""
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "placeholder": "1234-5678-9012-3456-7890",
            }
        ),
    )


class WriterMessageForm(SentOnceForm):
    """The writer answers back on the public status page; the code travels hidden."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=100)
    text = forms.CharField(
        label=_("Write back"),
        max_length=WRITER_MESSAGE_MAX,
        widget=forms.Textarea(
            attrs={"rows": 5, "autocomplete": "off", "aria-describedby": "write-back-help"}
        ),
        error_messages={
            "required": _("Write something first."),
            "max_length": _("The text is too long: at most %(limit_value)d characters."),
        },
    )

    def clean_text(self) -> str:
        return readable_text(self.cleaned_data["text"], empty_message=_("Write something first."))


class WriterStepForm(SentOnceForm):
    """A writer's act on her appeal with her receipt (take it back, ask to close it).

    The code travels hidden; `confirm` is set only on the confirmation page's form, so that
    the first press asks and the second one acts.
    """

    code = forms.CharField(widget=forms.HiddenInput, max_length=100)
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)
