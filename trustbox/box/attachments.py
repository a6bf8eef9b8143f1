"""Photos and PDFs a writer attaches: rebuilt from what can be seen, within limits, in memory.

A photo is checked by its header first (format and pixel count), then decoded and saved anew
from its pixels alone: no EXIF, GPS, XMP, ICC profile or comment is carried over. A PDF is
rendered page by page to pictures in a separate process with hard limits
(``trustbox.box.pdfpages``), and a new PDF is written here from those pictures only: no text
layer, metadata, script, action, link, form, annotation or embedded file of the original exists
in it. Nothing touches the disk.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from trustbox.box import pdfpages
from trustbox.box.envelope import Attachment

MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 2560  # a photo is kept at most this wide and high
MAX_PIXELS = 40_000_000  # the most pixels a picture may have, read from its header before decoding
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")  # MPO, a JPEG with extra pictures, opens as JPEG
PDF_DPI = 150  # pages are rendered at this resolution…
MAX_PAGE_PIXELS = 4_000_000  # …or lower, so that no page has more pixels (A4 at 150 dpi: 2.2 M)
MAX_PDF_PAGES = 20
PDF_JPEG_QUALITY = 80
MAX_REBUILT_BYTES = 2 * MAX_FILE_BYTES  # a rebuilt PDF grows at most to twice the upload limit
RENDER_MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the rendering process
RENDER_CPU_SECONDS = 20
RENDER_WALL_SECONDS = 30
DECODING_AT_ONCE = 2  # files decoded at the same time by one web process…
BUSY_WAIT_SECONDS = 20  # …and how long another waits for its turn

# Pillow's own guard, for every picture this process opens: a warning above this many pixels,
# an error above twice as many. Ours below is stricter and does not rely on it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_decoding = threading.BoundedSemaphore(DECODING_AT_ONCE)

# The child finds this checkout itself: -I leaves out the environment, the user's site and the
# current directory, so nothing around the web process decides what code it runs.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from trustbox.box.pdfpages import main; sys.exit(main(sys.argv[2:]))"
)


class AttachmentError(ValueError):
    """A file the box does not take; the message is for the writer."""


def clean_attachment(name: str, data: bytes) -> Attachment:
    """Return the file rebuilt from what can be seen, or raise AttachmentError."""
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentError(_("A file is larger than 5 MB."))
    if not _decoding.acquire(timeout=BUSY_WAIT_SECONDS):
        raise AttachmentError(
            _("The box is busy reading other files. Please try again in a minute.")
        )
    try:
        if data.startswith(b"%PDF-"):
            return Attachment(
                name=_safe_name(name, "pdf"), content_type="application/pdf", data=_clean_pdf(data)
            )
        return _clean_image(name, data)
    finally:
        _decoding.release()


def _safe_name(name: str, extension: str) -> str:
    stem = "".join(ch for ch in name.rsplit(".", 1)[0] if ch.isalnum() or ch in " -_")[:60].strip()
    return f"{stem or 'file'}.{extension}"


def _not_a_picture() -> AttachmentError:
    return AttachmentError(_("Only photos (JPEG, PNG, WebP) and PDF files can be attached."))


def _too_many_pixels() -> AttachmentError:
    return AttachmentError(
        _(
            "This picture is too large: at most %(limit)d megapixels can be attached. "
            "Save it smaller and attach it again."
        )
        % {"limit": MAX_PIXELS // 1_000_000}
    )


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size within a square of side, keeping the proportions, never larger than size."""
    width, height = size
    ratio = min(1.0, side / width, side / height)
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _clean_image(name: str, data: bytes) -> Attachment:
    try:
        # Opening reads the header only; nothing is decoded before the checks below.
        with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels()
            if image.width * image.height == 0:
                raise _not_a_picture()
            # A large JPEG is decoded at a half, quarter or eighth of its size straight away,
            # never below the size it is kept at.
            image.draft(None, _fit(image.size, MAX_IMAGE_SIDE))
            picture: Image.Image = image
            if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                # Palette pictures (drawings, screenshots) stay PNG, as they always have.
                keep_png = "transparency" in image.info or image.mode in ("P", "PA", "La", "RGBa")
                picture = picture.convert("RGBA" if keep_png else "RGB")
            picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            upright = ImageOps.exif_transpose(picture)
    except AttachmentError:
        raise
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise _not_a_picture() from error
    out = io.BytesIO()
    # A fresh image from the pixels alone carries no EXIF, GPS, XMP, ICC profile or comments.
    if upright.mode in ("RGBA", "LA"):
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


# --- PDF ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    width: int  # pixels
    height: int
    width_pt: float  # points, 1/72 inch
    height_pt: float
    jpeg: bytes


def _clean_pdf(data: bytes) -> bytes:
    return _pdf_from_pages(_render_pages(data))


def _render_pages(data: bytes) -> list[_Page]:
    """Render every page in the child process; map its refusals to messages for the writer."""
    unreadable = AttachmentError(_("This PDF could not be read."))
    too_heavy = AttachmentError(
        _("This PDF needs too much memory or time to read. Attach photos of its pages instead.")
    )
    limits = (
        MAX_PDF_PAGES,
        PDF_DPI,
        MAX_PAGE_PIXELS,
        PDF_JPEG_QUALITY,
        MAX_REBUILT_BYTES,
        RENDER_MEMORY_BYTES,
        RENDER_CPU_SECONDS,
    )
    command = [sys.executable, "-I", "-c", _CHILD, _SOURCE_ROOT, *(str(n) for n in limits)]
    try:
        # The command is fixed (nothing of the writer's is on it, hence the noqa); the PDF goes
        # through a pipe, never a file; no environment, and so no secret, is passed on.
        done = subprocess.run(  # noqa: S603
            command,
            input=data,
            capture_output=True,
            timeout=RENDER_WALL_SECONDS,
            env={},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise too_heavy from None
    if done.returncode == pdfpages.EXIT_PASSWORD:
        raise AttachmentError(_("This PDF is protected by a password; attach it without one."))
    if done.returncode == pdfpages.EXIT_TOO_MANY_PAGES:
        raise AttachmentError(
            _("This PDF is too long: at most %(limit)d pages can be attached (it has %(count)s).")
            % {"limit": MAX_PDF_PAGES, "count": done.stdout.decode("ascii", "replace")[:12]}
        )
    if done.returncode == pdfpages.EXIT_TOO_BIG:
        raise AttachmentError(
            _(
                "This PDF would be larger than %(limit)d MB as pictures of its pages. "
                "Attach fewer pages."
            )
            % {"limit": MAX_REBUILT_BYTES // (1024 * 1024)}
        )
    if done.returncode == pdfpages.EXIT_TOO_HEAVY or done.returncode < 0:
        raise too_heavy  # out of memory, or killed at the CPU-time limit
    if done.returncode != 0:
        raise unreadable
    try:
        return _read_pages(done.stdout)
    except (ValueError, OSError, SyntaxError) as error:
        raise unreadable from error


def _read_pages(out: bytes) -> list[_Page]:
    """Parse the child's pages strictly: each a JPEG of the size announced, within the limits."""
    pages: list[_Page] = []
    offset = 0
    while offset < len(out):
        width, height, width_pt, height_pt, length = pdfpages.PAGE.unpack_from(out, offset)
        offset += pdfpages.PAGE.size
        jpeg = out[offset : offset + length]
        offset += length
        if len(jpeg) != length or len(pages) == MAX_PDF_PAGES:
            raise ValueError("malformed rendering")
        if not (
            0 < width * height <= MAX_PAGE_PIXELS
            and 1 <= width_pt <= 1e6
            and 1 <= height_pt <= 1e6
            and width <= width_pt * PDF_DPI / 72 + 2
            and height <= height_pt * PDF_DPI / 72 + 2
        ):
            raise ValueError("page out of bounds")
        with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as picture:
            if picture.size != (width, height) or picture.mode != "RGB":
                raise ValueError("page picture differs from its header")
        pages.append(_Page(width, height, width_pt, height_pt, jpeg))
    if not pages:
        raise ValueError("no page")
    return pages


def _pdf_from_pages(pages: list[_Page]) -> bytes:
    """Write a PDF of one picture per page and nothing else: no information dictionary, no date.

    Written here rather than by a library because each one at hand adds something: Pillow
    re-encodes every page and keeps them all decoded at once, PDFium writes its name and the
    date, img2pdf needs pikepdf and writes a producer.
    """
    bodies: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(len(pages))), len(pages)),
    ]
    for i, page in enumerate(pages):
        number = 3 + 3 * i
        width, height = f"{page.width_pt:.2f}", f"{page.height_pt:.2f}"
        draw = f"q {width} 0 0 {height} 0 0 cm /P Do Q".encode()
        bodies.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            f"/Resources << /XObject << /P {number + 1} 0 R >> >> "
            f"/Contents {number + 2} 0 R >>".encode()
        )
        bodies.append(
            f"<< /Type /XObject /Subtype /Image /Width {page.width} /Height {page.height} "
            f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
            f"/Length {len(page.jpeg)} >>\nstream\n".encode()
            + page.jpeg
            + b"\nendstream"
        )
        bodies.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()
