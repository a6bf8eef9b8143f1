"""Working days: weekends, the public holidays of the Labour Code, and the government's changes.

Every deadline counts with these functions (trustbox.registry.deadlines, later compliance).

The public holidays come from the ``holidays`` package (country KG). Checked on 26 November 2026
against the Labour Code of the Kyrgyz Republic of 23 January 2025, which replaced the Code of
4 August 2004 (whose art. 113 listed the holidays). This machine has no web access, so the new
Code's own text could not be read and the number of its article on holidays is NOT verified;
what was checked comes from the Ministry of Labour's announcements as the press reported them:

- kabar.kg, 4 Feb 2025 ("new Labour Code"): days off are 1–6 January (New Year holidays),
  7 January (Christmas), 8 March, 21 March (Nooruz), 1–9 May, 31 August (Independence Day),
  Orozo Ait and Kurman Ait; 23 February, 7 April and 7–8 November stay working days;
  a working day can no longer be moved to a Saturday.
- vesti.kg as quoted by sayasat.kg (the 2026 calendar): the same list for 2026.
- open.kg and mts.kg (2026): a holiday that falls on a weekend no longer moves a day off.
- 24.kg, 11 Mar 2026: Orozo Ait on 20 March 2026 is a day off; Nooruz (a Saturday) is not moved.

``holidays`` 0.109 gives exactly this list for 2026 and 2027. Not verified here: Kurman Ait on
27 May 2026 (the package marks it confirmed; no announcement was found), and the 2027 Islamic
dates, which the package only estimates (Orozo Ait 9 March, Kurman Ait 16 May 2027): the
Muftiate and the Cabinet announce them shortly before. When an announced day differs, the
operator adds it (``calendar add-day-off``) and turns the estimate back into a working day
(``calendar add-working-day``).

Decrees of the Cabinet of Ministers add days off beyond the Code, e.g. 8–9 January 2026 for
state, municipal and budget-funded institutions — schools among them (azattyk.org, 26 Dec 2025);
whether 7 February and 25 April 2026 became working days, as the draft proposed, could not be
verified. None of these are in the package: the operator enters them (``calendar`` command,
kept in CalendarChange) or lists them in TRUSTBOX_EXTRA_DAYS_OFF / TRUSTBOX_EXTRA_WORKING_DAYS.
A change in the database wins over the settings, and both win over the weekend and the law.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max

# Kyrgyzstan's calendar only, imported when the app loads: holidays.country_holidays("KG")
# first looks the country up among all of the package's, which took about 0.3-0.9 s the first
# time in each process (in the middle of an opening, or of a worker's first registry page).
from holidays.countries.kyrgyzstan import Kyrgyzstan

from trustbox.schools.models import CalendarChange

_HOLIDAY_LANGUAGES = {"ky": "ky", "ru": "ru_KG", "en": "en_US"}


@lru_cache(maxsize=64)
def _holidays(year: int) -> Kyrgyzstan:
    return Kyrgyzstan(years=year)


def public_holidays(year: int, language: str = "en") -> list[tuple[datetime.date, str]]:
    """The law's days off of one year with their names, for the operator to check."""
    named = Kyrgyzstan(years=year, language=_HOLIDAY_LANGUAGES.get(language, "en_US"))
    return sorted(named.items())


@dataclass(frozen=True)
class _Changes:
    days_off: frozenset[datetime.date]
    working_days: frozenset[datetime.date]


def _dates(setting: str) -> set[datetime.date]:
    days = set()
    for value in getattr(settings, setting):
        try:
            days.add(datetime.date.fromisoformat(value))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTBOX_{setting}: {value!r} is not a date in the form YYYY-MM-DD."
            ) from error
    return days


def _load() -> _Changes:
    days_off, working_days = _dates("EXTRA_DAYS_OFF"), _dates("EXTRA_WORKING_DAYS")
    if both := days_off & working_days:
        raise ImproperlyConfigured(
            "A day cannot be both in TRUSTBOX_EXTRA_DAYS_OFF and TRUSTBOX_EXTRA_WORKING_DAYS: "
            + ", ".join(sorted(day.isoformat() for day in both))
        )
    for day, kind in CalendarChange.objects.values_list("day", "kind"):
        if kind == CalendarChange.Kind.DAY_OFF:
            days_off.add(day)
            working_days.discard(day)
        else:
            working_days.add(day)
            days_off.discard(day)
    return _Changes(frozenset(days_off), frozenset(working_days))


# One copy per process, reloaded when the changes in the database (or the settings) differ from
# the ones it was made from: a change added by the operator's command in another process is seen
# by every app process at its next deadline, for the price of one small query.
_cache: dict[tuple[object, ...], _Changes] = {}
_lock = threading.Lock()


def _fingerprint() -> tuple[object, ...]:
    state = CalendarChange.objects.aggregate(n=Count("id"), top=Max("id"), last=Max("changed_at"))
    return (
        state["n"],
        state["top"],
        state["last"],
        tuple(settings.EXTRA_DAYS_OFF),
        tuple(settings.EXTRA_WORKING_DAYS),
    )


def _changes() -> _Changes:
    key = _fingerprint()
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = _load()
        return _cache[key]


def calendar_forget() -> None:
    """Drop this process's copy of the changes (the services call it after a change)."""
    with _lock:
        _cache.clear()


def _working(day: datetime.date, changes: _Changes) -> bool:
    if day in changes.working_days:
        return True
    if day in changes.days_off:
        return False
    return day.weekday() < 5 and day not in _holidays(day.year)


def _next_working(day: datetime.date, changes: _Changes) -> datetime.date:
    while not _working(day, changes):
        day += datetime.timedelta(days=1)
    return day


def is_working_day(day: datetime.date) -> bool:
    return _working(day, _changes())


def next_working_day(day: datetime.date) -> datetime.date:
    """The day itself if people work on it, else the first working day after it."""
    return _next_working(day, _changes())


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The working day that comes `days` working days after `start`."""
    changes = _changes()
    day = start
    for _ in range(days):
        day = _next_working(day + datetime.timedelta(days=1), changes)
    return day
