"""Staff pages about the box: its link and QR code, the foyer poster, what waits inside."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from trustbox.accounts.access import school_view
from trustbox.box.selectors import box_contents, box_key_code
from trustbox.box.services import box_is_ready
from trustbox.lib.languages import language_choices
from trustbox.schools.models import School


def public_link(school: School) -> str:
    return settings.SITE_URL + reverse("box:appeal", args=[school.slug])


def qr_svg_uri(school: School, *, scale: int = 6) -> str:
    return segno.make(public_link(school), error="q").svg_data_uri(scale=scale)


@school_view()
def overview(request: HttpRequest, school: School) -> HttpResponse:
    return render(
        request,
        "box/staff_overview.html",
        {
            "school": school,
            "link": public_link(school),
            "qr": qr_svg_uri(school),
            "ready": box_is_ready(school),
            "box": box_contents(school),
            "poster_languages": language_choices(),
        },
    )


POSTER_LANGUAGES = ("ky", "ru", "en")


@school_view()
def poster(request: HttpRequest, school: School, language: str) -> HttpResponse:
    """The A4 poster for the foyer and classrooms, as PDF, in the language asked for."""
    from weasyprint import HTML

    if language not in POSTER_LANGUAGES:
        raise Http404
    with translation.override(language):
        html = render_to_string(
            "box/poster.html",
            {
                "school": school,
                "link": public_link(school),
                "qr": qr_svg_uri(school, scale=10),
                "key_code": box_key_code(school),
            },
        )
    pdf = HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_tags=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="trust-box-poster-{school.slug}-{language}.pdf"'
    )
    return response
