import io
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
