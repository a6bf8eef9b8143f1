from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.commission.rules import (
    Ballot,
    order_problems,
    parents_representative_missing,
    responsible_missing,
)
from trustbox.commission.selectors import parents_of
from trustbox.lib.forms import LocalDateField
from trustbox.schools.models import Membership, School


class PersonChoiceMixin:
    """Show a person as name and position, as the order will read."""

    def __init__(self, *args: Any, positions: dict[int, str] | None = None, **kwargs: Any) -> None:
        self.positions = positions or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: User) -> str:
        position = self.positions.get(obj.pk)
        return f"{obj.full_name}, {position}" if position else obj.full_name


class PersonChoiceField(PersonChoiceMixin, forms.ModelChoiceField):
    """One person: nobody is chosen until someone is (an empty first choice that says so)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("— choose a person —"))
        super().__init__(*args, **kwargs)


class PeopleChoiceField(PersonChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class OrderForm(forms.Form):
    """The director's order appointing the commission (cl. 4.1, 4.2)."""

    order_number = forms.CharField(label=_("Order number"), max_length=30)
    order_date = LocalDateField(label=_("Order date"))
    members = PeopleChoiceField(
        label=_("Members of the commission"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An odd number of people, at least three."),
        error_messages={
            "required": _("A commission needs at least three members: choose them (cl. 4.1).")
        },
    )
    parents_representative = PersonChoiceField(
        label=_("Representative of the parents' community"),
        queryset=User.objects.none(),
        help_text=_("A parent, chosen among the members (cl. 4.1)."),
    )
    responsible = PersonChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.none(),
        help_text=_("Organises the collection and consideration of appeals (cl. 4.2)."),
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        people = User.objects.filter(memberships__school=school).order_by("full_name")
        positions = dict(school.memberships.values_list("user_id", "position"))
        for name in ("members", "parents_representative", "responsible"):
            field = self.fields[name]
            field.queryset = people  # type: ignore[attr-defined]
            field.positions = positions  # type: ignore[attr-defined]
        # A missing choice gets the regulation's reason, not "This field is required."
        self.fields["parents_representative"].error_messages["required"] = (
            parents_representative_missing()
        )
        self.fields["responsible"].error_messages["required"] = responsible_missing()
        # Only parents may represent the parents' community (cl. 4.1).
        representative = self.fields["parents_representative"]
        representative.queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__school=school, memberships__kind=Membership.Kind.PARENT
        ).order_by("full_name")
        representative.error_messages["invalid_choice"] = _(
            "The representative of the parents' community must be a parent (regulation, "
            "cl. 4.1): choose one of the parents on the commission."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "members" in data:
            problems = order_problems(
                members=list(data["members"]),
                parents_representative=data.get("parents_representative"),
                responsible=data.get("responsible"),
                parents=parents_of(self.school),
            )
            for field, message in problems.items():
                if field not in self.errors:
                    self.add_error(field, message)
        number, date = data.get("order_number"), data.get("order_date")
        if (
            number
            and date
            and Commission.objects.filter(
                school=self.school, order_number=number, order_date=date
            ).exists()
        ):
            self.add_error(
                "order_number", _("An order with this number and date is already entered.")
            )
        return data


class ElectionForm(forms.Form):
    """The first session: who was present and whom each voted for, openly (cl. 4.5)."""

    held_on = LocalDateField(label=_("Date of the session"))

    def __init__(self, *args: Any, commission: Commission, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.seats = list(commission.seats.select_related("user"))
        members = User.objects.filter(seats__commission=commission).order_by("full_name")
        positions = {seat.user_id: seat.position for seat in self.seats}
        for seat in self.seats:
            self.fields[f"present_{seat.user_id}"] = forms.BooleanField(
                label=_("present"), required=False, initial=True
            )
            for office, label in (
                ("chair", _("votes for chair")),
                ("secretary", _("votes for secretary")),
            ):
                self.fields[f"{office}_{seat.user_id}"] = PersonChoiceField(
                    label=label, queryset=members, required=False, positions=positions
                )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "member": seat.user,
                "present": self[f"present_{seat.user_id}"],
                "chair": self[f"chair_{seat.user_id}"],
                "secretary": self[f"secretary_{seat.user_id}"],
            }
            for seat in self.seats
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ballots = []
        for seat in self.seats:
            if not data.get(f"present_{seat.user_id}"):
                continue
            chair, secretary = (
                data.get(f"chair_{seat.user_id}"),
                data.get(f"secretary_{seat.user_id}"),
            )
            if chair is None or secretary is None:
                self.add_error(
                    None,
                    _("%(name)s is marked present but has no vote for both offices.")
                    % {"name": seat.user.full_name},
                )
                continue
            ballots.append(Ballot(voter=seat.user, chair=chair, secretary=secretary))
        data["ballots"] = ballots
        return data
