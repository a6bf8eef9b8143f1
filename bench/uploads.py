"""What rebuilding attached files costs: hostile files against a phone photo. Prints JSON.

Each file (or set of files sent with one appeal) goes through the rebuilding the writer's form
uses (`trustbox.box.attachments`), with no HTTP. For each: the CPU time of this process and of
the PDF renderer's child, as a ratio to the baseline measured in the same run (Pillow decoding
a plain 12-megapixel JPEG at full size), the pixels Pillow decoded (counted by a spy on its
decoding), the bytes and sizes of the rebuilt files, or the reason a file was refused.

    .venv/bin/python bench/uploads.py [--quick]

It also runs against an older checkout (the figures "before" in docs/performance.md): copy
this file and bench/common.py into its bench/ and run it there.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import resource
import struct
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit, machine


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (the PDF renderer)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# --- the files ------------------------------------------------------------------------------


def raw_png(width: int, height: int, rows: Callable[[int], bytes], **chunks: bytes) -> bytes:
    """A PNG written chunk by chunk; colour type 3 (palette) when a PLTE chunk is given."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    deflate = zlib.compressobj(9)
    idat = b"".join(deflate.compress(b"\0" + rows(y)) for y in range(height)) + deflate.flush()
    colour_type = 3 if "PLTE" in chunks else 2
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    extra = b"".join(chunk(kind.encode(), body) for kind, body in chunks.items())
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def palette_png(width: int, height: int, block: int = 3) -> bytes:
    """16 random colours in blocks, with transparency: the review's 3.3 MB drawing."""
    rnd = random.Random(7)  # noqa: S311  (pictures, not secrets)
    narrow = [bytes(rnd.randrange(16) for _ in range(width // block + 1)) for _ in range(64)]
    wide = [bytes(b for b in row for _ in range(block))[:width] for row in narrow]
    palette = bytes(rnd.randrange(256) for _ in range(48))
    alpha = bytes([0] + [rnd.choice((128, 255)) for _ in range(15)])
    return raw_png(
        width, height, lambda y: wide[(y // block + y // 192) % 64], PLTE=palette, tRNS=alpha
    )


def plan_png(width: int = 7300, height: int = 5479) -> bytes:
    """A 40-megapixel RGB PNG of coloured stripes and red lines (a plan, a scanned drawing)."""
    tile = bytes(b for x in range(64) for b in (x * 4, 255 - x * 4, (x * 16) & 255))
    rows = [(tile[3 * shift :] + tile * (width // 64 + 2))[: 3 * width] for shift in range(64)]
    red = b"\xff\x00\x00" * width
    return raw_png(width, height, lambda y: red if y % 97 < 3 else rows[y % 64])


def phone_photo() -> bytes:
    """A 12-megapixel JPEG as phones write them, with camera and GPS in EXIF."""
    from PIL import Image

    noise = Image.effect_noise((1000, 750), 40).resize((4000, 3000), Image.Resampling.BICUBIC)
    photo = Image.merge("RGB", (noise, noise.point(lambda v: 255 - v), noise.rotate(180)))
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"
    exif[0x8825] = {1: "N", 2: (42.0, 52.0, 30.0), 3: "E", 4: (74.0, 35.0, 10.0)}
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def many_scans_jpeg(size: int = 2000, bytes_: int = 4_900_000) -> bytes:
    """A progressive JPEG one of whose small scans is repeated to fill the upload limit."""
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((size, size), 50).convert("RGB").save(
        out, format="JPEG", progressive=True, quality=80
    )
    data = out.getvalue()
    starts = [m.start() for m in re.finditer(b"\xff\xda", data)] + [data.rindex(b"\xff\xd9")]
    smallest = min(range(len(starts) - 1), key=lambda i: starts[i + 1] - starts[i])
    scan = data[starts[smallest] : starts[smallest + 1]]
    repeats = max(0, (bytes_ - len(data)) // len(scan))
    cut = starts[smallest + 1]
    return data[:cut] + scan * repeats + data[cut:]


def a4_pdf(pages: int) -> bytes:
    """A PDF of A4 pages, each a grey page with text-like stripes (a phone's scan)."""
    from PIL import Image, ImageDraw

    sheets = []
    for n in range(pages):
        page = Image.new("RGB", (1240, 1754), (236, 236, 232))
        draw = ImageDraw.Draw(page)
        for y in range(150, 1650, 36):
            draw.rectangle((120, y, 1120 - (y * 7 + n * 13) % 300, y + 14), fill=(40, 40, 48))
        sheets.append(page)
    out = io.BytesIO()
    sheets[0].save(out, format="PDF", save_all=True, append_images=sheets[1:], resolution=150)
    return out.getvalue()


# --- measuring ------------------------------------------------------------------------------


class DecodingSpy:
    """Count the pixels Pillow decodes."""

    def __enter__(self) -> DecodingSpy:
        from PIL import ImageFile

        self.pixels = 0
        self._original = original = ImageFile.ImageFile.load
        spy = self

        def load(image: Any) -> Any:
            if image.tile:
                spy.pixels += image.size[0] * image.size[1]
            return original(image)

        ImageFile.ImageFile.load = load  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        from PIL import ImageFile

        ImageFile.ImageFile.load = self._original  # type: ignore[method-assign]


def rebuild_appeal(files: list[tuple[str, bytes]]) -> list[Any]:
    """The files of one appeal rebuilt as the writer's form does (or did, before budgets)."""
    from trustbox.box import attachments

    together = getattr(attachments, "clean_attachments", None)
    if together is not None:
        return list(together(files))
    return [attachments.clean_attachment(name, data) for name, data in files]


def measure(files: list[tuple[str, bytes]], baseline: float) -> dict[str, Any]:
    from PIL import Image

    from trustbox.box.attachments import AttachmentError

    with DecodingSpy() as spy:
        start = cpu_seconds()
        try:
            rebuilt, refused = rebuild_appeal(files), None
        except AttachmentError as error:
            rebuilt, refused = [], str(error)
        cpu = cpu_seconds() - start
    sizes = []
    for attachment in rebuilt:
        if attachment.content_type.startswith("image/"):
            with Image.open(io.BytesIO(attachment.data)) as picture:
                sizes.append(f"{picture.width}×{picture.height} {picture.mode}")
        else:
            sizes.append("PDF")
    return {
        "files": len(files),
        "bytes_in": sum(len(data) for _, data in files),
        "cpu_ms": round(cpu * 1000, 1),
        "cpu_vs_baseline": round(cpu / baseline, 3),
        "megapixels_decoded_in_process": round(spy.pixels / 1e6, 1),
        "bytes_out": sum(len(a.data) for a in rebuilt),
        "results": sizes,
        "refused": refused,
    }


def baseline_seconds(photo: bytes, repeats: int) -> float:
    """CPU seconds of Pillow decoding a plain 12-megapixel JPEG at full size (the median)."""
    from PIL import Image

    runs = []
    for _ in range(repeats):
        start = time.process_time()
        with Image.open(io.BytesIO(photo)) as picture:
            picture.load()
        runs.append(time.process_time() - start)
    return sorted(runs)[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="leave out the slowest case")
    args = parser.parse_args()
    django_setup(sqlite=True)
    from django.utils import translation

    translation.activate("en")
    photo = phone_photo()
    cases: dict[str, list[tuple[str, bytes]]] = {
        "phone photo, 12 MP JPEG with GPS": [("IMG_0001.jpg", photo)],
        "PDF of 5 A4 pages": [("scan.pdf", a4_pdf(5))],
        "palette PNG with transparency, 16 MP": [("drawing.png", palette_png(4000, 4000))],
        "palette PNG with transparency, 36 MP": [("drawing.png", palette_png(6000, 6000, 4))],
        "three 40 MP PNGs in one appeal": [(f"plan{n}.png", plan_png()) for n in range(3)],
        "three 16 MP palette PNGs in one appeal": [
            (f"drawing{n}.png", palette_png(4000, 4000)) for n in range(3)
        ],
    }
    if not args.quick:
        cases["progressive JPEG of 4 MP, one scan repeated to 4.9 MB"] = [
            ("slow.jpg", many_scans_jpeg())
        ]
    baseline = baseline_seconds(photo, 3 if args.quick else 7)
    emit(
        {
            "benchmark": "uploads",
            "machine": machine(),
            "baseline": {
                "what": "Pillow decoding the 12 MP phone JPEG at full size (median CPU)",
                "cpu_ms": round(baseline * 1000, 1),
            },
            "cases": {name: measure(files, baseline) for name, files in cases.items()},
        }
    )


if __name__ == "__main__":
    main()
