from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.schools.models import Membership


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        help_text=_("For example: teacher of mathematics, school psychologist, parent."),
    )
    kind = forms.ChoiceField(
        label=_("Who is this person at the school"),
        choices=[
            (Membership.Kind.EMPLOYEE, _("Employee")),
            (Membership.Kind.PARENT, _("Parent")),
        ],
    )
    username = forms.RegexField(
        label=_("Login"),
        max_length=60,
        regex=r"^[a-z0-9._-]{3,60}$",
        error_messages={
            "invalid": _("Use 3 to 60 small Latin letters, digits, dots, hyphens or underscores.")
        },
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login is taken. Choose another."))
        return username
