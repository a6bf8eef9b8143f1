"""Photos and PDFs a writer attaches: checked by content, stripped of metadata, kept in memory."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from trustbox.box.envelope import Attachment

MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 2560
Image.MAX_IMAGE_PIXELS = 50_000_000  # refuse decompression bombs


class AttachmentError(ValueError):
    """A file the box does not take; the message is for the writer."""


def clean_attachment(name: str, data: bytes) -> Attachment:
    """Return the file re-encoded without metadata, or raise AttachmentError."""
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentError(_("A file is larger than 5 MB."))
    if data.startswith(b"%PDF-"):
        return Attachment(
            name=_safe_name(name, "pdf"), content_type="application/pdf", data=_clean_pdf(data)
        )
    return _clean_image(name, data)


def _safe_name(name: str, extension: str) -> str:
    stem = "".join(ch for ch in name.rsplit(".", 1)[0] if ch.isalnum() or ch in " -_")[:60].strip()
    return f"{stem or 'file'}.{extension}"


def _clean_image(name: str, data: bytes) -> Attachment:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("JPEG", "PNG", "WEBP"):
                raise AttachmentError(
                    _("Only photos (JPEG, PNG, WebP) and PDF files can be attached.")
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise AttachmentError(
            _("Only photos (JPEG, PNG, WebP) and PDF files can be attached.")
        ) from error
    upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    out = io.BytesIO()
    # A fresh image from the pixels alone carries no EXIF, GPS, XMP or comments.
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        clean = Image.frombytes("RGBA", rgba.size, rgba.tobytes())
        clean.save(out, format="PNG", optimize=True)
        return Attachment(
            name=_safe_name(name, "png"), content_type="image/png", data=out.getvalue()
        )
    rgb = upright.convert("RGB")
    clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    clean.save(out, format="JPEG", quality=85)
    return Attachment(name=_safe_name(name, "jpg"), content_type="image/jpeg", data=out.getvalue())


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AttachmentError(_("This PDF is protected by a password; attach it without one."))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        if isinstance(error, AttachmentError):
            raise
        raise AttachmentError(_("This PDF could not be read.")) from error
    return out.getvalue()
