"""Filters of the email templates (lib/mail.py): links to this site, dates inside a sentence."""

from __future__ import annotations

import datetime

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from trustbox.lib.dates import Case, long_date_in_text

register = template.Library()

LINK_STYLE = "color:#0b4f8a;text-decoration:underline;word-break:break-all"


@register.filter
def mail_link(url: str) -> SafeString:
    """A link of the HTML part that shows its own address: {{ link|mail_link }}.

    Only this site's pages are linked (TRUSTBOX_SITE_URL); anything else stays plain text.
    """
    from django.conf import settings

    if not str(url).startswith(settings.SITE_URL + "/"):
        return format_html("{}", url)
    return format_html('<a href="{0}" style="{1}">{0}</a>', url, LINK_STYLE)


@register.filter
def textdate(value: datetime.date | None, case: str = Case.NOMINATIVE) -> str:
    """A date inside a sentence in the active language: Russian «года» («г.» ends a line)."""
    if value is None:
        return ""
    return long_date_in_text(value, translation.get_language() or "ky", case)
