import datetime

from django import template
from django.utils import timezone, translation

from trustbox.lib.dates import Case, long_date, short_date

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
def overdue_on(appeal: object, today: datetime.date) -> bool:
    """Whether a registry appeal is past its deadline: {% if appeal|overdue_on:today %}."""
    is_overdue = getattr(appeal, "is_overdue", None)
    return bool(is_overdue and is_overdue(today))
