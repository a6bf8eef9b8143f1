"""Documents and exports of the registry."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from trustbox.accounts.access import school_view, staff_user
from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.envelope import Envelope
from trustbox.lib.forms import PeriodForm
from trustbox.lib.http import DOCX, PDF, XLSX, attachment_header, document_response
from trustbox.lib.languages import DOCUMENT_LANGUAGES
from trustbox.lib.spreadsheets import spreadsheet_filename
from trustbox.registry import documents, rules, selectors, services
from trustbox.registry.actions import ReadPurpose, RegistryAction
from trustbox.registry.keys import AppealKeys, appeal_keys
from trustbox.registry.models import Appeal, Entry
from trustbox.registry.session import personal_key_recall
from trustbox.schools.models import School
from trustbox.seal import crypto

# Attachments are cleaned to these on the way in; anything else is only downloaded.
ATTACHMENT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})


def _filename(appeal: Appeal, name: str) -> str:
    return f"{name}-{appeal.number.replace('/', '-')}"


@school_view(*rules.EXPORTERS)
def export(request: HttpRequest, school: School, fmt: str) -> HttpResponse:
    """The registry of a period as XLSX or CSV: plain fields only, nothing decrypted."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    form = PeriodForm(request.GET)
    if not form.is_valid():
        errors = [str(e) for e in form.non_field_errors()] or [_("Check the dates.")]
        messages.error(request, " ".join(errors))
        return redirect("registry:list", school=school.slug)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    appeals = selectors.appeals_for_export(school=school, start=start, end=end)
    audit_write(
        school=school,
        actor=staff_user(request),
        action=RegistryAction.EXPORT,
        details={"fmt": fmt, "count": appeals.count()},
    )
    filename = spreadsheet_filename("registry", school.slug, timezone.localdate(), fmt)
    language = translation.get_language() or settings.LANGUAGE_CODE
    if fmt == "xlsx":
        content = documents.export_xlsx(
            appeals.iterator(), school_name=school.name, language=language
        )
        return document_response(content, filename, XLSX)
    response = StreamingHttpResponse(
        documents.export_csv(appeals.iterator(), language=language),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = attachment_header(filename)
    # school_view types its views as returning HttpResponse; a streaming one passes as well.
    return cast(HttpResponse, response)


@dataclass(frozen=True)
class AppealAccess:
    """A registered appeal the official may read, with the keys that open it (never logged)."""

    appeal: Appeal
    user: User
    keys: AppealKeys

    def read(self, purpose: str) -> Envelope:
        """Decrypt the appeal; audited."""
        return services.appeal_read(
            appeal=self.appeal, by=self.user, purpose=purpose, **dataclasses.asdict(self.keys)
        )

    def read_file(self, purpose: str) -> services.AppealFile:
        """Decrypt the appeal and its file; audited."""
        return services.appeal_file_read(
            appeal=self.appeal, by=self.user, purpose=purpose, **dataclasses.asdict(self.keys)
        )


def appeal_document(
    view: Callable[..., HttpResponse] | None = None, *, registered_only: bool = True
) -> Any:
    """Give the view a visible appeal with its keys, or answer 404 / unlock first.

    An appeal the person may not see answers 404, and so does one not yet registered unless
    registered_only is False (its attachments are read before registration); a locked
    registry sends them to unlock it and come back. The view receives (request, school,
    access, *rest of the URL); a `language` in the URL is made active for the document.
    """
    if view is None:
        return lambda view: appeal_document(view, registered_only=registered_only)

    @school_view()
    @sensitive_variables("personal", "keys")
    @wraps(view)
    def wrapper(
        request: HttpRequest, school: School, pk: int, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        user = staff_user(request)
        appeal = get_object_or_404(
            selectors.appeals_visible(school=school, user=user).select_related(
                "registry_key", "assignee"
            ),
            pk=pk,
        )
        language = kwargs.get("language")
        if (
            (registered_only and not appeal.number)
            or (language is not None and language not in DOCUMENT_LANGUAGES)
            or appeal.destroyed_on is not None
        ):
            raise Http404
        personal = personal_key_recall(request)
        if personal is None:
            return redirect(
                reverse("registry:unlock", args=[school.slug]) + "?next=" + request.path
            )
        try:
            keys = appeal_keys(appeal=appeal, user=user, personal=personal)
        except (ValidationError, crypto.SealError) as error:
            raise PermissionDenied from error
        access = AppealAccess(appeal, user, keys)
        if language is None:
            return view(request, school, access, *args, **kwargs)
        with translation.override(language):
            return view(request, school, access, *args, **kwargs)

    return wrapper


@appeal_document(registered_only=False)
def attachment(
    request: HttpRequest, school: School, access: AppealAccess, index: int
) -> HttpResponse:
    """One file attached to the appeal, decrypted, as a download that is never cached."""
    attachments = access.read(ReadPurpose.ATTACHMENT).attachments
    if index >= len(attachments):
        raise Http404
    item = attachments[index]
    content_type = (
        item.content_type if item.content_type in ATTACHMENT_TYPES else "application/octet-stream"
    )
    return document_response(item.data, item.name, content_type)


@appeal_document
def card(
    request: HttpRequest, school: School, access: AppealAccess, language: str, fmt: str
) -> HttpResponse:
    """The registration card, in the language chosen: the appeal's facts, never its text."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    text = documents.card_text(
        school_name=school.name, appeal=access.appeal, envelope=access.read(ReadPurpose.CARD)
    )
    filename = f"{_filename(access.appeal, 'card')}-{language}.{fmt}"
    if fmt == "pdf":
        return document_response(documents.card_pdf(text), filename, PDF)
    return document_response(documents.card_docx(text), filename, DOCX)


@appeal_document
def case_file(
    request: HttpRequest, school: School, access: AppealAccess, language: str
) -> HttpResponse:
    """The appeal's whole file as a PDF for the case folder, in the language chosen."""
    content = documents.case_file_pdf(
        school_name=school.name, appeal=access.appeal, file=access.read_file(ReadPurpose.CASE_FILE)
    )
    return document_response(content, f"{_filename(access.appeal, 'file')}-{language}.pdf", PDF)


@appeal_document
def letter(
    request: HttpRequest, school: School, access: AppealAccess, entry: int, language: str
) -> HttpResponse:
    """A reply to the writer as a letter to print and sign, in the writer's language."""
    reply = get_object_or_404(
        access.appeal.entries.select_related("author"), pk=entry, kind=Entry.Kind.REPLY
    )
    file = access.read_file(ReadPurpose.LETTER)
    text = next(text for line, text in file.entries if line.pk == reply.pk)
    content = documents.letter_pdf(
        school_name=school.name,
        appeal=access.appeal,
        envelope=file.envelope,
        reply=reply,
        text=text,
    )
    filename = f"{_filename(access.appeal, 'letter')}-{reply.pk}-{language}.pdf"
    return document_response(content, filename, PDF)


@appeal_document
def notice(
    request: HttpRequest, school: School, access: AppealAccess, entry: int, language: str
) -> HttpResponse:
    """A reply to post in the foyer, naming the appeal by its number only."""
    reply = get_object_or_404(
        access.appeal.entries, pk=entry, kind=Entry.Kind.REPLY, channel=Entry.Channel.NOTICE
    )
    file = access.read_file(ReadPurpose.NOTICE)
    text = next(text for line, text in file.entries if line.pk == reply.pk)
    content = documents.notice_pdf(
        school_name=school.name, appeal=access.appeal, reply=reply, text=text
    )
    filename = f"{_filename(access.appeal, 'reply-sheet')}-{reply.pk}-{language}.pdf"
    return document_response(content, filename, PDF)
