"""Pages of the writer rendered once and filled in for each request.

Rendering the appeal form through Django's widget templates was most of the cost of showing it,
and the receipt page a good part of what remains after sealing. Both are the same for every
writer of one school in one language but for a few values of their own: the form's CSRF token
and sent-once token, the receipt's code and picture. So each is rendered once with a random
slot for each such value, kept in this process, and every request fills the slots in.

A kept page is found by a key that holds every value it shows which may change (the school's
name and short name, whether its box is sealed, the language…): a school renamed or a box
sealed makes a new key, never a stale page. Nothing secret is kept: a receipt's code and
picture are only ever filled into the answer. Changed settings (in tests) empty the pages;
with DEBUG on (templates edited on the fly) nothing is kept.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.conf import settings
from django.utils.html import escape

# A slot is a random word, new in each process, so that no text of a page can fill one.
_SLOT = secrets.token_hex(12)
# At most this many pages are kept (a few KB each): 3 languages × form and kiosk × schools.
MAX_PAGES = 600


def slot(name: str) -> str:
    """The slot a page leaves for a value of this name."""
    return f"{name}{_SLOT}"


_pages: OrderedDict[Hashable, str] = OrderedDict()
_lock = threading.Lock()


def page_once(key: Hashable, render: Callable[[], str]) -> str:
    """The page kept under key, rendered by render() the first time (the least used go first)."""
    if settings.DEBUG:
        return render()
    with _lock:
        html = _pages.get(key)
        if html is not None:
            _pages.move_to_end(key)
            return html
    html = render()
    with _lock:
        _pages[key] = html
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)
    return html


def page_fill(html: str, values: Mapping[str, str]) -> str:
    """The kept page with each slot filled in with its value, escaped for HTML."""
    for name, value in values.items():
        html = html.replace(slot(name), escape(value))
    return html


def pages_forget(**kwargs: Any) -> None:
    """Drop every kept page (receives setting_changed: a test changed what pages show)."""
    with _lock:
        _pages.clear()
