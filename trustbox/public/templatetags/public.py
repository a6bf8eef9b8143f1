"""Template helpers of the writer's pages: helplines and dates inside sentences."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import translation

from trustbox.lib.dates import Case, long_date_in_text
from trustbox.public.helplines import helpline_numbers, helplines_all

register = template.Library()


@register.inclusion_tag("public/helplines.html")
def helplines() -> dict[str, Any]:
    return {"lines": helplines_all()}


@register.simple_tag(name="helpline_numbers")
def numbers() -> dict[str, str]:
    """{% helpline_numbers as phone %} … {{ phone.children }}"""
    return helpline_numbers()


@register.filter
def textdate(value: datetime.date | None, case: str = Case.NOMINATIVE) -> str:
    """A date in full inside a sentence, in the active language: {{ day|textdate }}.

    Name the Kyrgyz case the sentence needs: {{ due|textdate:"dative" }} for "by …".
    """
    if value is None:
        return ""
    return long_date_in_text(value, translation.get_language() or "ky", case)
