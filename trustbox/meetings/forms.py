from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.commission.forms import PeopleChoiceField, PersonChoiceField
from trustbox.lib.forms import LocalDateField
from trustbox.meetings import agenda
from trustbox.meetings.models import AgendaItem, Meeting
from trustbox.meetings.services import AgendaEntry
from trustbox.schools.models import School


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.Form):
    """Call a meeting: when, where, and its agenda."""

    held_on = LocalDateField(label=_("Date"))
    starts_at = forms.TimeField(label=_("Time"), widget=TimeInput())
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("For example: room 12, the library.")
    )
    items = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One item a line. Name appeals by their number only, never by what they say; "
            "appeals and acts can also be chosen below."
        ),
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = [kind for kind in agenda.agenda_kinds() if kind.code != agenda.FREE]
        for kind in self.kinds:
            choices = kind.choices(school)
            if choices:
                self.fields[f"ref_{kind.code}"] = forms.TypedMultipleChoiceField(
                    label=kind.label,
                    choices=choices,
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )

    def reference_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("ref_")]

    def agenda_entries(self) -> list[AgendaEntry]:
        data = self.cleaned_data
        entries = [
            AgendaEntry(kind=kind.code, ref_id=ref_id)
            for kind in self.kinds
            for ref_id in data.get(f"ref_{kind.code}", [])
        ]
        entries += [
            AgendaEntry(title=line.strip())
            for line in data.get("items", "").splitlines()
            if line.strip()
        ]
        return entries


class AgendaItemForm(forms.Form):
    """One more item: free text, or something chosen from a kind's list."""

    kind = forms.CharField(widget=forms.HiddenInput)
    ref_id = forms.TypedChoiceField(label=_("Which"), coerce=int, required=False, choices=[])
    title = forms.CharField(label=_("Item"), max_length=300, required=False)

    def __init__(self, *args: Any, school: School, kind: agenda.AgendaKind, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": kind.code})
        kwargs.setdefault("prefix", f"add_{kind.code}")
        super().__init__(*args, **kwargs)
        self.agenda_kind = kind
        if kind.code == agenda.FREE:
            del self.fields["ref_id"]
            self.fields["title"].required = True
            self.fields["title"].label = _("Other item")
        else:
            cast(forms.TypedChoiceField, self.fields["ref_id"]).choices = [
                ("", "—"),
                *kind.choices(school),
            ]
            self.fields["ref_id"].label = kind.label
            self.fields["ref_id"].required = True
            self.fields["title"].label = _("What about it (optional)")

    def entry(self) -> AgendaEntry:
        data = self.cleaned_data
        return AgendaEntry(
            kind=self.agenda_kind.code, ref_id=data.get("ref_id"), title=data.get("title", "")
        )


class AttendanceForm(forms.Form):
    prefix = "attendance"

    present = PeopleChoiceField(
        label=_("Members present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        present = list(meeting.attendance.filter(present=True).values_list("member", flat=True))
        kwargs.setdefault("initial", {"present": present})
        super().__init__(*args, **kwargs)
        field = cast(PeopleChoiceField, self.fields["present"])
        field.queryset = meeting.commission.members.order_by("full_name")


class AgendaItemChoiceField(forms.ModelChoiceField):
    # Opens the items' sealed words for a member who opened the registry (sealing.py).
    opener: Any = None

    def label_from_instance(self, obj: AgendaItem) -> str:
        if obj.sealed_title and self.opener is None:
            named = agenda.agenda_item_text(kind=obj.kind, reference=obj.reference, title="")
            said = _("%(position)s. %(item)s (sealed)") % {"position": obj.position, "item": named}
            return said.replace("  ", " ")
        title = self.opener.text(obj.sealed_title) if obj.sealed_title else obj.title
        text = agenda.agenda_item_text(kind=obj.kind, reference=obj.reference, title=title)
        return f"{obj.position}. {text}"


class DecisionForm(forms.Form):
    prefix = "decision"

    item = AgendaItemChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "Name appeals by their number; quote an appeal only if the commission decides to."
        ),
    )
    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=99)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=99, initial=0)
    votes_abstained = forms.IntegerField(label=_("Abstained"), min_value=0, max_value=99, initial=0)

    def __init__(self, *args: Any, meeting: Meeting, opener: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(AgendaItemChoiceField, self.fields["item"])
        field.queryset = meeting.agenda.all()
        field.opener = opener


class DraftForm(forms.Form):
    prefix = "draft"

    text = forms.CharField(
        label=_("What was discussed"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The protocol writes the attendance, the agenda and the decisions itself; add the "
            "course of the discussion. Name appeals by their number only."
        ),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ScanForm(forms.Form):
    prefix = "scan"

    member = PersonChoiceField(label=_("Signed by"), queryset=User.objects.none())
    page = forms.FileField(
        label=_("Scan or photo of the signed sheet"),
        help_text=_("A photo (JPEG, PNG, WebP) or a PDF, up to 5 MB."),
    )

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PersonChoiceField, self.fields["member"])
        field.queryset = User.objects.filter(pk__in=[m.pk for m in members]).order_by("full_name")
        if len(members) == 1:
            field.initial = members[0].pk


class CorrectForm(forms.Form):
    prefix = "correct"

    reason = forms.CharField(
        label=_("What the correction changes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    text = forms.CharField(
        label=_("What was discussed, corrected"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The code printed on the protocol, e.g. 7KQ3-9XMD-2H4P-RT8C."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
