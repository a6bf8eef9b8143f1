"""Render a PDF's pages to JPEG pictures, in a short-lived process of its own with hard limits.

``main`` runs in a child process started by ``trustbox.box.attachments`` with the limits as
arguments (pages, dpi, pixels a page, JPEG quality, bytes of all pages, address space, CPU
seconds): the PDF comes on standard input, the pages go to standard output, each as a
``PAGE`` header followed by the JPEG. PDFium parses hostile input, is not thread-safe, and a
page may hide an image of any size, so it never runs in the web process. Here the address
space and the CPU time are limited, no file can be written (not even a core dump), and the
page count and each page's size are checked before any page is loaded.

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


def page_scale(width_pt: float, height_pt: float, *, dpi: int, max_pixels: int) -> float:
    """Pixels per point: the resolution asked for, lowered so the page stays within max_pixels."""
    return min(
        dpi / 72,
        math.sqrt(max_pixels / (width_pt * height_pt)) * 0.999,  # room for rounding up
        MAX_SIDE / max(width_pt, height_pt),
    )


def render(
    data: bytes,
    out: BinaryIO,
    *,
    max_pages: int,
    dpi: int,
    max_page_pixels: int,
    quality: int,
    max_bytes: int,
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
    scales = []
    for index in range(count):
        width_pt, height_pt = pdf.get_page_size(index)
        if not (width_pt >= 1 and height_pt >= 1):
            return EXIT_UNREADABLE
        scales.append(page_scale(width_pt, height_pt, dpi=dpi, max_pixels=max_page_pixels))
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
    max_pages, dpi, max_page_pixels, quality, max_bytes, memory_bytes, cpu_seconds = (
        int(a) for a in argv
    )
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
        )
    except MemoryError:
        return EXIT_TOO_HEAVY
    except Exception:
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
