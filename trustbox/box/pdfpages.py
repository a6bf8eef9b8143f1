"""Render a PDF's pages to JPEG pictures, in a short-lived process of its own with hard limits.

``main`` runs in a child process started by ``trustbox.box.attachments`` with the limits as
arguments (pages, dpi, pixels a page, JPEG quality, bytes of all pages, address space, CPU
seconds, pixels of all pages, the lowest dpi): the PDF comes on standard input, the pages go
to standard output, each as a ``PAGE`` header followed by the JPEG. PDFium parses hostile
input, is not thread-safe, and a page may hide an image of any size, so it never runs in the
web process. Here the address space and the CPU time are limited, no file can be written (not
even a core dump), and the page count and each page's size are checked before any page is
loaded; when all pages together would have more pixels than the appeal has left, every page
is rendered at a lower resolution, down to the lowest allowed, or the PDF is refused.

Only the standard library, PDFium and Pillow are imported: no Django, no settings, no secrets.
"""

from __future__ import annotations

import io
import math
import resource
import struct
import sys
from typing import BinaryIO

PAGE = struct.Struct(">IIddI")  # width and height in pixels, then in points; JPEG length
MAX_SIDE = 65_000  # a JPEG's side is at most 65,535 pixels

EXIT_PASSWORD = 3
EXIT_TOO_MANY_PAGES = 4  # standard output then holds the page count
EXIT_UNREADABLE = 5
EXIT_TOO_HEAVY = 6
EXIT_TOO_BIG = 7
EXIT_TOO_MANY_PIXELS = 8


class TooBig(Exception):
    """The pages would be more bytes than allowed (raised in the web process)."""


class TooManyPixels(Exception):
    """The pages would be more pixels than allowed, even at the lowest resolution."""


def page_scale(width_pt: float, height_pt: float, *, dpi: int, max_pixels: int) -> float:
    """Pixels per point: the resolution asked for, lowered so the page stays within max_pixels."""
    return min(
        dpi / 72,
        math.sqrt(max_pixels / (width_pt * height_pt)) * 0.999,  # room for rounding up
        MAX_SIDE / max(width_pt, height_pt),
    )


def fit_scales(
    sizes: list[tuple[float, float]],
    *,
    dpi: int,
    max_page_pixels: int,
    max_pixels: int,
    min_dpi: int,
) -> list[float] | None:
    """Pixels per point for each page so that all pages together stay within max_pixels.

    Each page is drawn at dpi (or less, to stay within max_page_pixels); if all of them would
    be more than max_pixels, every page is drawn smaller by the same factor, as long as the
    resolution stays at min_dpi or above. None if they do not fit even so.
    """
    scales = [page_scale(w, h, dpi=dpi, max_pixels=max_page_pixels) for w, h in sizes]
    total = sum((w * s + 1) * (h * s + 1) for (w, h), s in zip(sizes, scales, strict=True))
    if total <= max_pixels:
        return scales
    factor = math.sqrt(max_pixels / total) * 0.99  # room for rounding up
    if dpi * factor < min_dpi:
        return None
    return [s * factor for s in scales]


def render(
    data: bytes,
    out: BinaryIO,
    *,
    max_pages: int,
    dpi: int,
    max_page_pixels: int,
    quality: int,
    max_bytes: int,
    max_pixels: int,
    min_dpi: int,
) -> int:
    """Write every page of the PDF in data to out as a JPEG; return the exit status."""
    import pypdfium2 as pdfium  # loaded only here, in the child process

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            return EXIT_PASSWORD
        return EXIT_UNREADABLE
    # Form fields are drawn as they look; this PDFium has no JavaScript engine, so no script runs.
    pdf.init_forms()
    count = len(pdf)
    if count > max_pages:
        out.write(str(count).encode())
        return EXIT_TOO_MANY_PAGES
    if count == 0:
        return EXIT_UNREADABLE
    sizes = [pdf.get_page_size(index) for index in range(count)]
    if not all(width_pt >= 1 and height_pt >= 1 for width_pt, height_pt in sizes):
        return EXIT_UNREADABLE
    scales = fit_scales(
        sizes, dpi=dpi, max_page_pixels=max_page_pixels, max_pixels=max_pixels, min_dpi=min_dpi
    )
    if scales is None:
        return EXIT_TOO_MANY_PIXELS
    written = 0
    for index, scale in enumerate(scales):
        page = pdf[index]
        bitmap = page.render(scale=scale, rev_byteorder=True, limit_image_cache=True)
        picture = bitmap.to_pil().convert("RGB")
        if picture.width * picture.height > max_page_pixels:
            return EXIT_UNREADABLE
        jpeg = io.BytesIO()
        picture.save(jpeg, format="JPEG", quality=quality)
        written += jpeg.tell()
        if written > max_bytes:
            return EXIT_TOO_BIG
        width_pt, height_pt = page.get_size()  # as shown, the page's own turn included
        out.write(PAGE.pack(picture.width, picture.height, width_pt, height_pt, jpeg.tell()))
        out.write(jpeg.getvalue())
        bitmap.close()
        page.close()
    pdf.close()
    return 0


def main(argv: list[str]) -> int:
    (
        max_pages,
        dpi,
        max_page_pixels,
        quality,
        max_bytes,
        memory_bytes,
        cpu_seconds,
        max_pixels,
        min_dpi,
    ) = (int(a) for a in argv)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    data = sys.stdin.buffer.read()
    try:
        return render(
            data,
            sys.stdout.buffer,
            max_pages=max_pages,
            dpi=dpi,
            max_page_pixels=max_page_pixels,
            quality=quality,
            max_bytes=max_bytes,
            max_pixels=max_pixels,
            min_dpi=min_dpi,
        )
    except MemoryError:
        return EXIT_TOO_HEAVY
    except Exception:
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
