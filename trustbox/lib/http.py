"""One way to hand a document to the browser."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX}


def attachment_header(filename: str) -> str:
    """Content-Disposition for a download, with a non-ASCII name written as RFC 6266 asks."""
    return content_disposition_header(True, filename) or "attachment"


def document_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download that the browser saves as it is, never sniffs into something else."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
