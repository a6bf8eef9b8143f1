import datetime
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from trustbox.lib.dates import Case, long_date, short_date
from trustbox.lib.languages import download_label as _download_label

register = template.Library()


def _day(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def longdate(value: datetime.date | None, case: str = Case.NOMINATIVE) -> str:
    """Write a date in full in the active language: {{ order.date|longdate }}.

    Inside a sentence, name the Kyrgyz case the sentence needs: {{ due|longdate:"dative" }}
    for "by …" («10-декабрына чейин»), "locative" for "on …".
    """
    if value is None:
        return ""
    return long_date(_day(value), translation.get_language() or "ky", case)


@register.filter
def shortdate(value: datetime.date | None, case: str = Case.NOMINATIVE) -> str:
    """A day without its year, in the active language and Kyrgyz case: {{ day|shortdate }}."""
    if value is None:
        return ""
    return short_date(_day(value), translation.get_language() or "ky", case)


@register.filter
def nowrap(value: object) -> SafeString:
    """Keep a date or a code on one line inside a sentence: {{ day|shortdate|nowrap }}."""
    return format_html('<span class="nowrap">{}</span>', value)


@register.filter
def overdue_on(appeal: object, today: datetime.date) -> bool:
    """Whether a registry appeal is past its deadline: {% if appeal|overdue_on:today %}."""
    is_overdue = getattr(appeal, "is_overdue", None)
    return bool(is_overdue and is_overdue(today))


@register.simple_tag(takes_context=True)
def nav_current(context: dict[str, Any], view_name: str) -> SafeString:
    """Mark the menu's link to the page shown: {% nav_current "registry:list" %}.

    The link to this very page gets aria-current="page"; the link to the section of a page
    inside it (an appeal of the registry) gets aria-current="true".
    """
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return SafeString("")
    if match.view_name == view_name:
        return format_html(' aria-current="{}"', "page")
    section = view_name.split(":")[0]
    if section != "core" and match.namespace == section:
        return format_html(' aria-current="{}"', "true")
    return SafeString("")


@register.filter
def download_label(language: str, fmt: str = "pdf") -> str:
    """The words of every download button: {{ code|download_label:"docx" }} («Орусча Word»)."""
    return _download_label(language, fmt)
