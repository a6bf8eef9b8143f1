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
import re
import zlib
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


def _colours() -> list[tuple[int, int, int]]:
    return [BACKGROUND, *_shades(INK), *_shades(BLUE)]


@functools.cache
def _palette() -> Image.Image:
    """White and a few shades of each ink: smooth letters in a picture of 7 colours."""
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in _colours() for value in colour])
    return palette


def _few_colours(image: Image.Image) -> Image.Image:
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


# --- the PNG file, written by hand so that the card's rows are compressed once --------------
#
# A PNG's pixels are one zlib stream. The rows above and below the code are the same for every
# receipt of a card: they are compressed once (each part ending on a full flush, so that parts
# compressed apart follow one another in one valid stream) and only the code's rows are
# compressed for each receipt. Rows are 4 bits a pixel (7 colours), with no filter.

BITS = 4


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")


def _rows(image: Image.Image) -> bytes:
    """The image's rows as a PNG holds them: a filter byte (none), then the packed pixels."""
    packed = image.tobytes("raw", f"P;{BITS}")
    width = (image.width * BITS + 7) // 8
    return b"".join(b"\x00" + packed[row : row + width] for row in range(0, len(packed), width))


def _deflate(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
    )


@dataclass(frozen=True)
class _Card:
    """The card drawn without its code: where the code goes, the rows around it compressed."""

    code_places: tuple[tuple[int, int], ...]  # (top, height) of each line of the code
    band: Image.Image  # the rows where the code goes, blank
    head: bytes  # the PNG file up to its pixels
    above: bytes  # the rows above the band, compressed
    above_adler: int
    below_raw: bytes
    below: bytes  # the rows below the band, compressed, ending the stream


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
    card = _few_colours(image)
    top = code_places[0][0] if code_places else height
    bottom = code_places[-1][0] + code_places[-1][1] if code_places else height
    above_raw = _rows(card.crop((0, 0, WIDTH, top)))
    below_raw = _rows(card.crop((0, bottom, WIDTH, height)))
    header = WIDTH.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([BITS, 3, 0, 0, 0])
    palette = bytes(value for colour in _colours() for value in colour)
    return _Card(
        code_places=tuple(code_places),
        band=card.crop((0, top, WIDTH, bottom)),
        head=b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", palette),
        above=_deflate(above_raw, last=False),
        above_adler=zlib.adler32(above_raw),
        below_raw=below_raw,
        below=_deflate(below_raw, last=True),
    )


def _shape(line: Line) -> Line:
    """A code line with every digit 0: the same layout, and nothing secret to keep."""
    return Line(re.sub(r"\d", "0", line.text), line.style) if line.style == "code" else line


def receipt_png(lines: list[Line]) -> bytes:
    """Draw the lines one under another on a white card; return the PNG file (about 10 KB)."""
    card = _card(tuple(_shape(line) for line in lines))
    band = card.band.copy()
    name, size, colour, _above = STYLES["code"]
    font = _font(name, size)
    inner = WIDTH - 2 * MARGIN
    pieces = [
        piece for line in lines if line.style == "code" for piece in wrap(line.text, font, inner)
    ]
    band_top = card.code_places[0][0] if card.code_places else 0
    for (top, height), piece in zip(card.code_places, pieces, strict=True):
        strip = Image.new("RGB", (inner, height), BACKGROUND)
        ImageDraw.Draw(strip).text((0, 0), piece, font=font, fill=colour)
        band.paste(_few_colours(strip), (MARGIN, top - band_top))
    band_raw = _rows(band)
    adler = zlib.adler32(card.below_raw, zlib.adler32(band_raw, card.above_adler))
    stream = (
        b"\x78\x9c"
        + card.above
        + _deflate(band_raw, last=False)
        + card.below
        + adler.to_bytes(4, "big")
    )
    return card.head + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def data_address(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()
