"""The receipt as a PNG picture, drawn here and handed over in a data: address.

A phone's gallery shows PNG (not SVG). The picture is drawn in memory from texts the caller has
translated; nothing is written to disk and the code is not kept anywhere.

Drawing the whole card and reducing its colours took longer than deriving the receipt itself,
so the card is drawn once per school, language and address, with the code's place left blank,
and kept in this process; each receipt copies it and draws only its code. The card kept holds
no code: its key has every digit of the code replaced by 0 (a monospaced font lays every code
of one length out alike).
"""

from __future__ import annotations

import base64
import functools
import io
import re
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
    # 24 characters of a code (five groups of four digits) fit one line of the card.
    "code": (MONO_BOLD, 44, BLUE, 8),
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


SHADES = 3  # of each ink, for the edges of letters


def _shades(ink: tuple[int, int, int]) -> list[tuple[int, int, int]]:
    """SHADES colours from the background to the ink, the ink last."""
    shades = []
    for step in range(1, SHADES + 1):
        red, green, blue = (
            round(paper + (colour - paper) * step / SHADES)
            for paper, colour in zip(BACKGROUND, ink, strict=True)
        )
        shades.append((red, green, blue))
    return shades


@functools.cache
def _palette() -> Image.Image:
    """White and a few shades of each ink: smooth letters in a picture of 7 colours."""
    colours = [BACKGROUND, *_shades(INK), *_shades(BLUE)]
    palette = Image.new("P", (1, 1))
    flat = [value for colour in colours for value in colour]
    palette.putpalette(flat + list(BACKGROUND) * (256 - len(colours)))
    return palette


def _few_colours(image: Image.Image) -> Image.Image:
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


@dataclass(frozen=True)
class _Card:
    """The card drawn without its code, and where each line of the code goes."""

    image: Image.Image
    code_places: tuple[tuple[int, int], ...]  # (top, height) of each line of the code


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent + 4


@functools.lru_cache(maxsize=32)
def _card(lines: tuple[Line, ...]) -> _Card:
    """Lay the lines out one under another on a white card and draw all but the code."""
    inner = WIDTH - 2 * MARGIN
    laid_out: list[tuple[int, str, ImageFont.FreeTypeFont, tuple[int, int, int]]] = []
    code_places: list[tuple[int, int]] = []
    y = MARGIN
    for line in lines:
        name, size, colour, above = STYLES[line.style]
        font = _font(name, size)
        y += above
        for piece in wrap(line.text, font, inner):
            if line.style == "code":
                code_places.append((y, _line_height(font)))
            else:
                laid_out.append((y, piece, font, colour))
            y += _line_height(font)
    height = y + MARGIN
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for top, piece, font, colour in laid_out:
        draw.text((MARGIN, top), piece, font=font, fill=colour)
    draw.rectangle((4, 4, WIDTH - 5, height - 5), outline=BLUE, width=3)
    return _Card(image=_few_colours(image), code_places=tuple(code_places))


def _shape(line: Line) -> Line:
    """A code line with every digit 0: the same layout, and nothing secret to keep."""
    return Line(re.sub(r"\d", "0", line.text), line.style) if line.style == "code" else line


def receipt_png(lines: list[Line]) -> bytes:
    """Draw the lines one under another on a white card; return the PNG file (about 8 KB)."""
    card = _card(tuple(_shape(line) for line in lines))
    image = card.image.copy()
    name, size, colour, _above = STYLES["code"]
    font = _font(name, size)
    inner = WIDTH - 2 * MARGIN
    pieces = [
        piece for line in lines if line.style == "code" for piece in wrap(line.text, font, inner)
    ]
    for (top, height), piece in zip(card.code_places, pieces, strict=True):
        strip = Image.new("RGB", (inner, height), BACKGROUND)
        ImageDraw.Draw(strip).text((0, 0), piece, font=font, fill=colour)
        image.paste(_few_colours(strip), (MARGIN, top))
    out = io.BytesIO()
    image.save(out, format="PNG", bits=4, compress_level=6)
    return out.getvalue()


def data_address(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()
