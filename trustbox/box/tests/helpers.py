import io

from PIL import Image

from trustbox.box.forms import submission_token

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
