"""Photos and PDFs a writer attaches: rebuilt from what can be seen, within a budget, in memory.

A photo is checked by its header first (format, pixel count, the scale it will be decoded at),
paid for from the appeal's budget (``trustbox.box.filebudget``), then decoded and saved anew
from its pixels alone (``trustbox.box.pictures``). A PDF is rendered page by page to pictures
in a separate process with hard limits (``trustbox.box.pdfpages``), within the pixels the
budget has left, and a new PDF is written here from those pictures only: no text layer,
metadata, script, action, link, form, annotation or embedded file of the original exists in it.
Nothing touches the disk.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image

from trustbox.box import pdfpages, pictures
from trustbox.box.envelope import Attachment
from trustbox.box.filebudget import (  # noqa: F401  (other apps read the limits here)
    APPEAL_PIXELS,
    APPEAL_REBUILT_BYTES,
    MAX_DECODED_PIXELS,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_PIXELS,
    MEGA,
    AttachmentError,
    Budget,
    Meter,
    appeal_too_heavy,
    appeal_too_large,
    over_the_clients_limit,
)
from trustbox.box.pictures import MAX_IMAGE_SIDE  # noqa: F401

PDF_DPI = 150  # pages are rendered at this resolution…
MIN_PDF_DPI = 75  # …or lower, to fit the pixels left, but not below this
MAX_PAGE_PIXELS = 4_000_000  # …and no page has more pixels (A4 at 150 dpi: 2.2 M)
MAX_PDF_PIXELS = 48_000_000  # all pages of one PDF together (20 A4 pages at 150 dpi: 44 M)
MAX_PDF_PAGES = 20
PDF_JPEG_QUALITY = 80
MAX_REBUILT_BYTES = 2 * MAX_FILE_BYTES  # a rebuilt PDF grows at most to twice the upload limit
RENDER_MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the rendering process
RENDER_CPU_SECONDS = 20
RENDER_WALL_SECONDS = 30
DECODING_AT_ONCE = 2  # files decoded at the same time by one web process…
BUSY_WAIT_SECONDS = 20  # …and how long another waits for its turn

_decoding = threading.BoundedSemaphore(DECODING_AT_ONCE)

# The child finds this checkout itself: -I leaves out the environment, the user's site and the
# current directory, so nothing around the web process decides what code it runs.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from trustbox.box.pdfpages import main; sys.exit(main(sys.argv[2:]))"
)


def clean_attachment(name: str, data: bytes, budget: Budget | None = None) -> Attachment:
    """Return the file rebuilt from what can be seen, paid from budget (by default the budget of
    one appeal), or raise AttachmentError."""
    budget = budget if budget is not None else Budget()
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentError(_("A file is larger than 5 MB."))
    if not _decoding.acquire(timeout=BUSY_WAIT_SECONDS):
        raise AttachmentError(
            _("The box is busy reading other files. Please try again in a minute.")
        )
    try:
        if data.startswith(b"%PDF-"):
            return Attachment(
                name=pictures.safe_name(name, "pdf"),
                content_type="application/pdf",
                data=_clean_pdf(data, budget),
            )
        return pictures.rebuild_picture(name, data, budget)
    finally:
        _decoding.release()


def clean_attachments(
    files: Sequence[tuple[str, bytes]], *, meter: Meter | None = None
) -> list[Attachment]:
    """Rebuild the files of one appeal within its budget, or raise AttachmentError naming the
    file and why.

    Every picture's header is read before any file is decoded, so that files which cannot
    all be paid for are refused before any work is done on them.
    """
    budget = Budget(pixels=APPEAL_PIXELS, rebuilt_bytes=APPEAL_REBUILT_BYTES, meter=meter)
    planned = 0
    for name, data in files:
        if data.startswith(b"%PDF-"):
            continue
        try:
            planned += pictures.pixels_to_decode(data)
            if planned > budget.pixels:
                raise appeal_too_large()
            if meter is not None and planned > meter.left():
                raise over_the_clients_limit()
        except AttachmentError as error:
            raise naming(name, error) from error
    cleaned = []
    for name, data in files:
        try:
            cleaned.append(clean_attachment(name, data, budget))
        except AttachmentError as error:
            raise naming(name, error) from error
    return cleaned


def naming(name: str, error: AttachmentError) -> AttachmentError:
    """The writer's reason, saying which of her files it is about."""
    shown = "".join(ch for ch in name if ch.isprintable())[:80] or "?"
    return AttachmentError(_("“%(name)s”: %(reason)s") % {"name": shown, "reason": error})


# --- PDF ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    width: int  # pixels
    height: int
    width_pt: float  # points, 1/72 inch
    height_pt: float
    jpeg: bytes


def _clean_pdf(data: bytes, budget: Budget) -> bytes:
    """Render the pages within the pixels and bytes the budget has left, then write the PDF.

    The renderer gets an allowance of pixels for all pages (paid before it starts) and lowers
    the resolution of every page to fit it, down to MIN_PDF_DPI; what it did not render is
    given back.
    """
    allowance = min(MAX_PDF_PIXELS, budget.pixels_left())
    most = min(MAX_REBUILT_BYTES, budget.rebuilt_bytes)
    over_pixels = _pdf_pixels_refusal(budget, allowance)
    over_bytes = appeal_too_heavy() if most < MAX_REBUILT_BYTES else _pdf_too_big()
    if allowance < MIN_PDF_PAGE_PIXELS:
        raise over_pixels
    budget.take_bytes(most)
    budget.take_pixels(allowance)
    try:
        pages = _render_pages(data, pixels=allowance, max_bytes=most)
    except pdfpages.TooManyPixels:
        budget.give_back_pixels(allowance)
        raise over_pixels from None
    except pdfpages.TooBig:
        raise over_bytes from None
    except AttachmentError:
        budget.give_back_pixels(allowance)
        raise
    rendered = sum(page.width * page.height for page in pages)
    budget.give_back_pixels(allowance - rendered)
    pdf = _pdf_from_pages(pages)
    budget.wrote(most, len(pdf))
    return pdf


MAX_SIDE_SLACK = 2 * 4000  # a page's sides may each round up by a pixel

# One A4 page at MIN_PDF_DPI: with fewer pixels left than this no PDF is sent to the renderer.
MIN_PDF_PAGE_PIXELS = round(595 * 842 * (MIN_PDF_DPI / 72) ** 2)


def _pdf_pixels_refusal(budget: Budget, allowance: int) -> AttachmentError:
    """Why a PDF that does not fit its allowance is refused: the client's hourly budget, the
    appeal's, or its own pages."""
    if budget.meter is not None and allowance == budget.meter.left() < budget.pixels:
        return over_the_clients_limit()
    if allowance < MAX_PDF_PIXELS:
        return appeal_too_large()
    return AttachmentError(
        _(
            "This PDF has too many large pages: even at a lower resolution they would be more "
            "than %(limit)d MP. Attach fewer pages."
        )
        % {"limit": MAX_PDF_PIXELS // MEGA}
    )


def _pdf_too_big() -> AttachmentError:
    return AttachmentError(
        _(
            "This PDF would be larger than %(limit)d MB as pictures of its pages. "
            "Attach fewer pages."
        )
        % {"limit": MAX_REBUILT_BYTES // (1024 * 1024)}
    )


def _render_pages(data: bytes, *, pixels: int, max_bytes: int) -> list[_Page]:
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
        max_bytes,
        RENDER_MEMORY_BYTES,
        RENDER_CPU_SECONDS,
        pixels,
        MIN_PDF_DPI,
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
        raise pdfpages.TooBig
    if done.returncode == pdfpages.EXIT_TOO_MANY_PIXELS:
        raise pdfpages.TooManyPixels
    if done.returncode == pdfpages.EXIT_TOO_HEAVY or done.returncode < 0:
        raise too_heavy  # out of memory, or killed at the CPU-time limit
    if done.returncode != 0:
        raise unreadable
    try:
        return _read_pages(done.stdout, pixels=pixels)
    except (ValueError, OSError, SyntaxError) as error:
        raise unreadable from error


def _read_pages(out: bytes, *, pixels: int) -> list[_Page]:
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
    if sum(page.width * page.height for page in pages) > pixels + len(pages) * MAX_SIDE_SLACK:
        raise ValueError("pages over their allowance of pixels")
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
