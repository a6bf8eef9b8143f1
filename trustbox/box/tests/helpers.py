import io
import re
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from PIL import Image

from trustbox.public.forms import submission_token

CANARY = "CANARY-Жаныл-7b3f9e-ШЫЛДЫҢ"
CLIENT_IP = "203.0.113.77"


def photo_with_gps(camera: str = "CanaryCam-9000") -> bytes:
    """A small JPEG carrying EXIF with a camera name and GPS coordinates."""
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x010F] = camera  # Make
    exif[0x8825] = {1: "N", 2: (42.0, 52.0, 30.0), 3: "E", 4: (74.0, 35.0, 10.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def appeal_data(**overrides):
    data = {
        "kind": "complaint",
        "category": "bullying",
        "text": "They laugh at me at breaks.",
        "signed": "anonymous",
        "name": "",
        "class_or_role": "",
        "contact": "",
        "token": submission_token(),
    }
    data.update(overrides)
    return data


def receipt_code_on(response) -> str:
    """The receipt code a receipt page shows."""
    found = re.search(r'id="receipt-code">([^<]+)<', response.content.decode())
    assert found is not None, "no receipt code on the page"
    return found.group(1)


def receipt_picture_on(response) -> str | None:
    """The data: address of the receipt picture a receipt page offers, if any."""
    found = re.search(r'href="(data:image/png;base64,[^"]+)"', response.content.decode())
    return found.group(1) if found else None


# --- looking for secrets at rest ---------------------------------------------------------


def files_under(*roots: Path, since: float = 0.0):
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                yield path


def database_rows_as_bytes() -> bytes:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                found.extend(
                    bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row
                )
    return b"\n".join(found)


def cache_contents() -> bytes:
    store = getattr(cache, "_cache", {})
    return b"\n".join(str(key).encode() + b"=" + bytes(value) for key, value in store.items())


def secrets_in(blob: bytes, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s.encode() in blob or s.encode("utf-16-le") in blob]


# --- crafted attachments ---------------------------------------------------------------------

CAMERA_CANARY = "CanaryCam-9000"
# Letters and digits only: PDF writers escape punctuation, and the tests search the raw bytes.
SCRIPT_CANARY = "SCRIPTCANARY4f1c"
HIDDEN_CANARIES = {
    "author": "AUTHORCANARY31",
    "creator": "CREATORCANARY77",
    "xmp": "XMPCANARY2b9e",
    "embedded file": "EMBEDDEDFILECANARYe41a",
    "form field": "FORMFIELDCANARY09",
    "link": "LINKCANARY5d",
}


def gps_exif(camera: str = CAMERA_CANARY) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = camera  # Make
    exif[0x8825] = {1: "N", 2: (42.0, 52.0, 30.0), 3: "E", 4: (74.0, 35.0, 10.0)}  # GPS
    return exif.tobytes()


def page_with_black_square(size=(595, 842)) -> Image.Image:
    """A white page, 1 pixel a point, with a black square at points (100, 100)–(300, 300)."""
    page = Image.new("RGB", size, "white")
    page.paste((0, 0, 0), (100, 100, 300, 300))
    return page


def pdf_of(*pages: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    first, *rest = pages
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=72, **options)
    return out.getvalue()


def pdf_with_gps_photo() -> bytes:
    """A PDF whose page is a JPEG stream carrying the camera's name and a GPS position."""
    return pdf_of(page_with_black_square(), exif=gps_exif())


def png_bomb(width: int = 7000, height: int = 7000) -> bytes:
    """A valid PNG of width×height black RGB pixels that weighs about 150 KB, written row by row."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    deflate = zlib.compressobj(9)
    row = bytes(1 + 3 * width)  # filter byte 0, then black pixels
    idat = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg_claiming_size(width: int, height: int) -> bytes:
    """A small JPEG whose header claims width×height pixels."""
    import struct

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "gray").save(out, format="JPEG")
    data = out.getvalue()
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


def pdf_with_hidden_things() -> bytes:
    """A one-page PDF with everything a viewer does not show, or runs, besides the page.

    An open action and a page action running JavaScript, a document-level script, a link
    running JavaScript and a web link, an embedded file, a form field with a value, an
    information dictionary and XMP metadata.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.actions import JavaScript
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(page_with_black_square()))))
    page = writer.pages[0]

    def js(code: str) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(code),
            }
        )

    def rect(*numbers: float) -> ArrayObject:
        return ArrayObject(FloatObject(n) for n in numbers)

    writer._root_object[NameObject("/OpenAction")] = js(f"app.alert('{SCRIPT_CANARY} open');")
    writer.add_open_action(JavaScript(f"app.alert('{SCRIPT_CANARY} names');"))
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js(f"// {SCRIPT_CANARY} page")})
    script_link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect(100, 400, 300, 450),
            NameObject("/A"): js(f"app.launchURL('{SCRIPT_CANARY} link');"),
        }
    )
    web_link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect(100, 500, 300, 550),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject(
                        f"https://{HIDDEN_CANARIES['link']}.invalid/"
                    ),
                }
            ),
        }
    )
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("secret"),
            NameObject("/V"): TextStringObject(HIDDEN_CANARIES["form field"]),
            NameObject("/Rect"): rect(100, 600, 300, 620),
            NameObject("/F"): NumberObject(2),  # hidden
        }
    )
    annotations = [writer._add_object(a) for a in (script_link, web_link, field)]
    page[NameObject("/Annots")] = ArrayObject(annotations)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([annotations[2]])}
    )
    writer.add_attachment("diary.txt", HIDDEN_CANARIES["embedded file"].encode())
    writer.add_metadata(
        {"/Author": HIDDEN_CANARIES["author"], "/Creator": HIDDEN_CANARIES["creator"]}
    )
    xmp = DecodedStreamObject()
    xmp.set_data(
        (
            '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{HIDDEN_CANARIES['xmp']}</dc:creator>"
            '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
        ).encode()
    )
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(user_password: str = "secret", owner_password: str = "owner") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(page_with_black_square()))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_png(
    width: int,
    height: int,
    rows,
    *,
    colour_type: int = 2,
    palette: bytes = b"",
    transparency: bytes = b"",
) -> bytes:
    """A PNG written chunk by chunk from rows(y) -> the bytes of row y, compressed fast.

    colour_type 2 is RGB (3 bytes a pixel), 3 a palette (1 byte a pixel, with palette and its
    transparency as the PLTE and tRNS chunks).
    """
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    deflate = zlib.compressobj(1)
    idat = b"".join(deflate.compress(b"\0" + rows(y)) for y in range(height)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    extra = b""
    if palette:
        extra += chunk(b"PLTE", palette)
    if transparency:
        extra += chunk(b"tRNS", transparency)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def palette_png_with_transparency(width: int, height: int, block: int = 3, seed: int = 7) -> bytes:
    """A palette PNG like a hostile drawing: 16 random colours in blocks of pixels, colour 0
    fully transparent (and the top-left 90×90 pixels of it), others half transparent.

    About 1.3 MB at 4000×4000; rebuilt as RGBA it grew to megabytes.
    """
    import random

    rnd = random.Random(seed)
    narrow = [bytes(rnd.randrange(16) for _ in range(width // block + 1)) for _ in range(64)]
    wide = [bytes(b for b in row for _ in range(block))[:width] for row in narrow]

    def row(y: int) -> bytes:
        found = wide[(y // block + y // 192) % 64]
        return bytes(90) + found[90:] if y < 90 else found

    palette = bytes(rnd.randrange(256) for _ in range(16 * 3))
    transparency = bytes([0] + [rnd.choice((128, 255)) for _ in range(15)])
    return raw_png(width, height, row, colour_type=3, palette=palette, transparency=transparency)


def flat_png(width: int, height: int) -> bytes:
    """An RGB PNG of width×height grey pixels: a few kilobytes for 40 megapixels."""
    grey = bytes([128]) * (3 * width)
    return raw_png(width, height, lambda y: grey)


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A phone's JPEG (12 megapixels by default) with its camera and GPS position in EXIF."""
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90, exif=gps_exif())
    return out.getvalue()


def progressive_jpeg_with_scans(repeats: int) -> bytes:
    """A small progressive JPEG one of whose scans is repeated: each is one more pass."""
    out = io.BytesIO()
    Image.effect_noise((64, 64), 50).convert("RGB").save(out, format="JPEG", progressive=True)
    data = out.getvalue()
    starts = [m.start() for m in re.finditer(b"\xff\xda", data)]
    scan = data[starts[-2] : starts[-1]]
    return data[: starts[-1]] + scan * repeats + data[starts[-1] :]
