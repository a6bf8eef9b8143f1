import datetime

from django import template
from django.utils import timezone, translation

from trustbox.lib.dates import long_date

register = template.Library()


@register.filter
def longdate(value: datetime.date | None) -> str:
    """Write a date in full in the active language: {{ order.date|longdate }}."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return long_date(value, translation.get_language() or "ky")


@register.filter
def overdue_on(appeal: object, today: datetime.date) -> bool:
    """Whether a registry appeal is past its deadline: {% if appeal|overdue_on:today %}."""
    is_overdue = getattr(appeal, "is_overdue", None)
    return bool(is_overdue and is_overdue(today))
