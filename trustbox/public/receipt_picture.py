"""The receipt as a PNG picture, drawn here and handed over in a data: address.

A phone's gallery shows PNG (not SVG). The picture is drawn in memory from texts the caller has
translated; nothing is written to disk and the code is not kept anywhere.
"""

from __future__ import annotations

import base64
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

SANS = "DejaVuSans.ttf"
SANS_BOLD = "DejaVuSans-Bold.ttf"
MONO_BOLD = "DejaVuSansMono-Bold.ttf"
FONTS = (SANS, SANS_BOLD, MONO_BOLD)
# Where Debian (fonts-dejavu-core), Fedora, Arch and Homebrew put DejaVu; searched in order.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/dejavu-sans-mono-fonts"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/opt/homebrew/share/fonts"),
)
FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

WIDTH = 720
MARGIN = 32
INK = (27, 31, 36)
BLUE = (11, 92, 173)
BACKGROUND = (255, 255, 255)


class FontMissing(RuntimeError):
    """A DejaVu font the receipt picture needs is not installed."""


@functools.cache
def font_file(name: str) -> Path:
    """Find an installed DejaVu font file, or say which package to install."""
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    for root in FONT_ROOTS:
        if root.is_dir():
            for found in root.rglob(name):
                return found
    raise FontMissing(
        f"The font {name} is not installed, so receipt pictures cannot be drawn. "
        "Install the DejaVu fonts (Debian: apt-get install fonts-dejavu-core)."
    )


@functools.cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(name)), size)


@dataclass(frozen=True)
class Line:
    """A piece of text on the picture: wrapped to the width, in one style."""

    text: str
    style: str = "text"  # title, school, label, code, text, address


STYLES: dict[str, tuple[str, int, tuple[int, int, int], int]] = {
    # style: font, size, colour, space above
    "title": (SANS_BOLD, 30, INK, 0),
    "school": (SANS, 24, INK, 6),
    "label": (SANS, 22, BLUE, 28),
    "code": (MONO_BOLD, 54, BLUE, 8),
    "text": (SANS, 22, INK, 20),
    "address": (SANS_BOLD, 22, BLUE, 6),
}


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break text into lines no wider than width: at spaces, and inside a too-long word."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if font.getlength(line + char) > width and line:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def receipt_lines(*, school_name: str, code: str, address: str) -> list[Line]:
    """What the picture says, in the active language."""
    return [
        Line(_("Trust Box"), "title"),
        Line(school_name, "school"),
        Line(_("Receipt code"), "label"),
        Line(code, "code"),
        Line(_("Keep it secret. It opens the answer to your appeal."), "text"),
        Line(_("Check your appeal at this address:"), "label"),
        Line(address, "address"),
    ]


def receipt_png(lines: list[Line]) -> bytes:
    """Draw the lines one under another on a white card; return the PNG file."""
    inner = WIDTH - 2 * MARGIN
    laid_out: list[tuple[int, str, ImageFont.FreeTypeFont, tuple[int, int, int]]] = []
    y = MARGIN
    for line in lines:
        name, size, colour, above = STYLES[line.style]
        font = _font(name, size)
        y += above
        ascent, descent = font.getmetrics()
        for piece in wrap(line.text, font, inner):
            laid_out.append((y, piece, font, colour))
            y += ascent + descent + 4
    height = y + MARGIN
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for top, piece, font, colour in laid_out:
        draw.text((MARGIN, top), piece, font=font, fill=colour)
    draw.rectangle((4, 4, WIDTH - 5, height - 5), outline=BLUE, width=3)
    # Four colours are enough for two inks on white, and keep the file (and the page carrying
    # it) small: about 10 KB.
    small = image.quantize(colors=4)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def data_address(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()
