"""What the views of openings share: the opening asked for, and the key its starting
screen holds."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from trustbox.openings import gathering
from trustbox.openings.models import Opening
from trustbox.schools.models import School
from trustbox.seal.browser import browser_key_read, browser_key_take_back


def cookie_name(opening: Opening) -> str:
    return f"tb_opening_{opening.pk}"


def cookie_path(school: School) -> str:
    return reverse("openings:journal", args=[school.slug])


def screen_key(request: HttpRequest, opening: Opening) -> bytes | None:
    return browser_key_read(request, name=cookie_name(opening))


def screen_key_forget(response: HttpResponse, school: School, opening: Opening) -> None:
    browser_key_take_back(response, name=cookie_name(opening), path=cookie_path(school))


def opening_of(school: School, pk: int) -> Opening:
    gathering.openings_expire(school=school)
    return get_object_or_404(Opening.objects.for_school(school).select_related("box_key"), pk=pk)
