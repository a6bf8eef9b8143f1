"""Photos and drawings rebuilt from their pixels alone, at the size needed to read them.

The header is read first (Pillow's ``Image.open`` decodes nothing): the format, the size, the
scale a JPEG's decoder will use (``draft``), and for a JPEG the number of its scans. The
pixels to decode and the most bytes the result can have are paid from the appeal's budget
(``trustbox.box.filebudget``) before any decoding. Then the picture is decoded, reduced to at
most ``MAX_IMAGE_SIDE`` a side (``reduce`` by a whole factor first, then resampled), turned
upright and saved anew with fast encoder settings: a photo as a JPEG; a drawing (a palette or
black-and-white picture, screenshots of simple things) as a PNG of at most 256 colours, so
that it never grows into megabytes of RGBA. Transparent parts are laid on white paper. No
EXIF (camera, GPS, time), XMP, ICC profile, text chunk or comment is carried over.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from trustbox.box.envelope import Attachment
from trustbox.box.filebudget import (
    MAX_DECODED_PIXELS,
    MAX_PIXELS,
    MEGA,
    AttachmentError,
    Budget,
)

MAX_IMAGE_SIDE = 2000  # a picture is kept at most this wide and high
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")  # MPO, a JPEG with extra pictures, opens as JPEG
MAX_JPEG_SCANS = 100  # a progressive photo has about 10; each one is a pass over all pixels
JPEG_QUALITY = 85
PNG_COMPRESS_LEVEL = 6  # zlib's default; no `optimize`, which tries every filter and level
EXIF_ORIENTATION = 0x0112
ALPHA_MODES = ("RGBA", "LA", "La", "PA", "RGBa")
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

# Pillow's own guards, for every picture this process opens: a warning above this many pixels,
# an error above twice as many; text chunks of a PNG (decompressed as the header is read) are
# kept to a little. Ours below are stricter and do not rely on them.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
PngImagePlugin.MAX_TEXT_MEMORY = 256 * 1024


def not_a_picture() -> AttachmentError:
    return AttachmentError(_("Only photos (JPEG, PNG, WebP) and PDF files can be attached."))


def too_many_pixels() -> AttachmentError:
    return AttachmentError(
        _(
            "This picture is too large: at most %(limit)d megapixels can be attached. "
            "Save it smaller and attach it again."
        )
        % {"limit": MAX_PIXELS // MEGA}
    )


def too_large_to_decode(pixels: int) -> AttachmentError:
    return AttachmentError(
        _(
            "This picture is too large to read: it has %(count)d MP, and a PNG or WebP picture "
            "can have at most %(limit)d MP. Save it smaller, or as a JPEG photo, and attach it "
            "again."
        )
        % {"count": round(pixels / MEGA), "limit": MAX_DECODED_PIXELS // MEGA}
    )


def too_many_scans() -> AttachmentError:
    return AttachmentError(
        _(
            "This photo is saved in a way that takes too long to read. Save it again (or take "
            "a screenshot of it) and attach it."
        )
    )


def fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size within a square of side, keeping the proportions, never larger than size."""
    width, height = size
    ratio = min(1.0, side / width, side / height)
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def most_bytes(size: tuple[int, int], *, drawing: bool) -> int:
    """The most bytes a rebuilt picture of this size can have (noise gives about 0.8 a pixel)."""
    width, height = size
    pixels = width * height
    if drawing:  # one byte a pixel and one a row, zlib's few bytes, the palette
        return pixels + height + pixels // 1000 + 4096
    return pixels + pixels // 4 + 64 * 1024


def rebuild_picture(name: str, data: bytes, budget: Budget) -> Attachment:
    """The picture in data rebuilt from its pixels, paid from budget; or AttachmentError."""
    try:
        # Opening reads the header only; nothing is decoded before the budget is paid.
        with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
            target = _plan(image, data)
            drawing = image.mode in ("P", "PA", "1")
            reserved = most_bytes(target, drawing=drawing)
            budget.take_bytes(reserved)
            budget.take_pixels(image.width * image.height)
            turn = _UPRIGHT.get(image.getexif().get(EXIF_ORIENTATION, 1))
            picture = _small_on_paper(image, target)
    except AttachmentError:
        raise
    except Image.DecompressionBombError as error:
        raise too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise not_a_picture() from error
    if turn is not None:
        picture = picture.transpose(turn)
    attachment = _encode(name, picture, drawing=drawing)
    if len(attachment.data) > reserved:  # cannot happen by most_bytes; kept as a guard
        raise not_a_picture()
    budget.wrote(reserved, len(attachment.data))
    return attachment


def pixels_to_decode(data: bytes) -> int:
    """How many pixels decoding this picture costs, from its header; AttachmentError if it is
    refused already by its header."""
    try:
        with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
            _plan(image, data)
            return image.width * image.height
    except AttachmentError:
        raise
    except Image.DecompressionBombError as error:
        raise too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise not_a_picture() from error


def _plan(image: Image.Image, data: bytes) -> tuple[int, int]:
    """Check the header; set a JPEG to decode reduced; return the size the picture is kept at."""
    if image.width * image.height > MAX_PIXELS:
        raise too_many_pixels()
    if image.width * image.height == 0:
        raise not_a_picture()
    if image.format in ("JPEG", "MPO") and data.count(b"\xff\xda") > MAX_JPEG_SCANS:
        raise too_many_scans()  # each scan marker starts one more pass over the whole picture
    target = fit(image.size, MAX_IMAGE_SIDE)
    # A large JPEG is decoded at a half, quarter or eighth of its size straight away, never
    # below the size it is kept at; other formats are decoded whole.
    image.draft(None, target)
    if image.width * image.height > MAX_DECODED_PIXELS:
        raise too_large_to_decode(image.width * image.height)
    return target


def _small_on_paper(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """Decode, reduce to target, lay what is transparent on white: an RGB or L picture."""
    image.load()
    picture: Image.Image = image
    if image.mode == "P" and "transparency" in image.info:
        picture = _palette_on_paper(image)  # in its 256 colours, not in millions of pixels
    transparent = "transparency" in picture.info or picture.mode in ALPHA_MODES
    if transparent:
        picture = picture.convert("RGBA")
    elif picture.mode == "1":
        picture = picture.convert("L")
    elif picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    if picture.size != target:
        # A whole-factor reduce (averaging blocks) first, then a fine resample.
        picture = picture.resize(target, Image.Resampling.BICUBIC, reducing_gap=2.0)
    if transparent:
        paper = Image.new("RGB", picture.size, "white")
        paper.paste(picture, mask=picture.getchannel("A"))
        picture = paper
    return picture


def _palette_on_paper(image: Image.Image) -> Image.Image:
    """A transparent palette picture laid on white by changing its palette: an RGB picture."""
    strip = Image.new("P", (256, 1))
    strip.putdata(range(256))
    strip.putpalette(image.getpalette() or [])
    strip.info["transparency"] = image.info["transparency"]
    colours = strip.convert("RGBA")
    paper = Image.new("RGB", colours.size, "white")
    paper.paste(colours, mask=colours.getchannel("A"))
    del image.info["transparency"]  # the picture is ours, decoded from the writer's bytes
    image.putpalette(paper.tobytes())
    return image.convert("RGB")


def safe_name(name: str, extension: str) -> str:
    stem = "".join(ch for ch in name.rsplit(".", 1)[0] if ch.isalnum() or ch in " -_")[:60].strip()
    return f"{stem or 'file'}.{extension}"


def _encode(name: str, picture: Image.Image, *, drawing: bool) -> Attachment:
    """A fresh image from the pixels alone: no EXIF, GPS, XMP, ICC profile or comments."""
    out = io.BytesIO()
    clean = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    if drawing:
        if clean.mode == "RGB":
            clean = clean.quantize(256, method=Image.Quantize.FASTOCTREE)
        clean.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
        return Attachment(safe_name(name, "png"), "image/png", out.getvalue())
    clean.save(out, format="JPEG", quality=JPEG_QUALITY)
    return Attachment(safe_name(name, "jpg"), "image/jpeg", out.getvalue())
