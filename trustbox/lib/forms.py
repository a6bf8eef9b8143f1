"""Forms shared by several parts of the staff side."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

# Dates as a school in Kyrgyzstan writes them by hand (02.09.2026), and as a browser or a
# spreadsheet sends them (2026-09-02).
DATE_INPUT_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


class LocalDateInput(forms.DateInput):
    """A date typed as day.month.year, whatever language the browser itself speaks.

    Not <input type=date>: that shows the browser's own format (mm/dd/yyyy in an English
    browser), not the one of the page's language and the school's papers.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "placeholder": _("dd.mm.yyyy"),
                "size": 10,
                **(attrs or {}),
            },
            format="%d.%m.%Y",
        )


class LocalDateField(forms.DateField):
    """A date field that takes 02.09.2026 (and 2.9.2026, 02.09.26, 2026-09-02)."""

    widget = LocalDateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Write the date as day.month.year, for example 02.09.2026."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Day.month.year, for example 02.09.2026."))
        super().__init__(**kwargs)


class PeriodForm(forms.Form):
    """A period of days to print or export; either end may stay empty."""

    start = LocalDateField(label=_("From"), required=False)
    end = LocalDateField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        return cleaned


class FormRenderer(DjangoTemplates):
    """Django's renderer, whose whole-form layouts leave the form's own errors out.

    A page says a form's errors once: form_errors.html above the form names what is wrong
    with the whole form, and each field its own. Django's div and p layouts would print the
    whole-form errors a second time.
    """

    LAYOUTS = {"django/forms/div.html": "forms/div.html", "django/forms/p.html": "forms/p.html"}

    def get_template(self, template_name: str) -> Any:
        return super().get_template(self.LAYOUTS.get(template_name, template_name))
