from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SchoolSearchForm(forms.Form):
    """Find a school by its name or district, on the home page (GET, no JavaScript)."""

    q = forms.CharField(
        label=_("Find your school: its name, number or district"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
