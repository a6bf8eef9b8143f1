from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.box.envelope import Category, Kind
from trustbox.registry.channels import reply_channels
from trustbox.registry.models import Appeal, Entry, Outcome, Status
from trustbox.schools.models import School

TEXT_MAX = 10000


class RegisterForm(forms.Form):
    """Registration: kind, category and urgency may be corrected as the text shows them."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgent = forms.BooleanField(label=_("Urgent: someone may be in danger"), required=False)


class AssignForm(forms.Form):
    # No one is chosen until someone is: an empty first choice, never the first name.
    assignee = forms.ModelChoiceField(
        label=_("Who considers this appeal"),
        queryset=User.objects.none(),
        empty_label=_("— choose a person —"),
        error_messages={"required": _("Choose the person who considers this appeal.")},
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["assignee"]
        field.queryset = (
            User.objects.filter(memberships__school=school, is_active=True)
            .distinct()
            .order_by("full_name")
        )
        field.label_from_instance = lambda user: user.full_name


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (the writer does not see it)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the writer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    channel = forms.ChoiceField(label=_("How the writer gets it"), choices=Entry.Channel.choices)

    def __init__(self, *args: Any, appeal: Appeal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reaching = reply_channels(appeal)
        channels = [(value, label) for value, label in Entry.Channel.choices if value in reaching]
        field: Any = self.fields["channel"]
        field.choices = channels
        field.initial = channels[0][0]
        if reaching == [Entry.Channel.RECEIPT]:
            field.help_text = _(
                "The writer gave no name: the answer is read on their status page, with their "
                "receipt code."
            )
        elif reaching == [Entry.Channel.NOTICE]:
            field.help_text = _(
                "The writer gave no name and has no receipt: print the reply sheet and post it "
                "in the foyer. It names the appeal by its number only: write nothing that names "
                "anyone."
            )

    def contact_absent(self) -> None:
        """The signed writer gave no contact (read from the decrypted appeal): not offered."""
        field: Any = self.fields["channel"]
        field.choices = [c for c in field.choices if c[0] != Entry.Channel.CONTACT]


class WriteBackCloseForm(forms.Form):
    """The writer wrote back on an answered appeal: close it with thanks."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    text = forms.CharField(
        label=_("Thanks to the writer (optional; shown on their status page)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WriteBackAnswerForm(forms.Form):
    """The writer wrote back on an answered appeal: answer again on their status page."""

    text = forms.CharField(
        label=_("Answer again (shown on the writer's status page)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    text = forms.CharField(
        label=_("Reasons of the decision (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegistryFilterForm(forms.Form):
    """The filters of the registry list; every field may stay empty."""

    DEADLINE_CHOICES = [
        ("", _("any deadline")),
        ("overdue", _("overdue")),
        ("soon", _("due within 3 days")),
    ]

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any status")), *Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("any kind")), *Kind.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("any category")), *Category.choices], required=False
    )
    deadline = forms.ChoiceField(label=_("Deadline"), choices=DEADLINE_CHOICES, required=False)
