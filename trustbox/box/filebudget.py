"""What rebuilding the files of one appeal may cost: pixels decoded and bytes written.

Every limit here is checked before the work it pays for: a picture's pixels from its header
(and the scale its decoder will use), a PDF's pages from their sizes in the rendering process,
the bytes of a rebuilt picture from the most its format can take. A ``Meter`` (the writer's
pages pass one: ``trustbox.public.throttle.upload_meter``) counts the same pixels against the
client's hourly budget, so that the work of many appeals adds up too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # the most pixels a picture may have, read from its header
MAX_DECODED_PIXELS = 16_000_000  # the most a file may be decoded to (a JPEG is decoded reduced)
APPEAL_PIXELS = 64_000_000  # decoded or rendered, for all the files of one appeal together
APPEAL_REBUILT_BYTES = MAX_FILES * MAX_FILE_BYTES  # never more than the writer may send
MEGA = 1_000_000


class AttachmentError(ValueError):
    """A file the box does not take; the message is for the writer."""


class Meter(Protocol):
    """An abuse limit that pixels are counted against (in the writer's pages, per client)."""

    def take(self, pixels: int) -> bool:
        """Count pixels; False (and nothing counted) if that would go over the limit."""

    def give_back(self, pixels: int) -> None:
        """Uncount pixels taken in advance and not spent."""

    def left(self) -> int:
        """How many pixels may still be taken."""


def over_the_clients_limit() -> AttachmentError:
    return AttachmentError(
        _(
            "Too many files are coming from here right now. Please try again in an hour, "
            "or send the appeal without files."
        )
    )


def appeal_too_large() -> AttachmentError:
    return AttachmentError(
        _(
            "Together with the other files of this appeal this is too much to read: at most "
            "%(limit)d MP in all. Attach fewer or smaller files, or send them with another appeal."
        )
        % {"limit": APPEAL_PIXELS // MEGA}
    )


def appeal_too_heavy() -> AttachmentError:
    return AttachmentError(
        _(
            "Together with the other files of this appeal this would be larger than %(limit)d MB. "
            "Attach fewer or smaller files, or send them with another appeal."
        )
        % {"limit": APPEAL_REBUILT_BYTES // (1024 * 1024)}
    )


@dataclass
class Budget:
    """What is left to spend on the files of one appeal; ``decoded`` and ``written`` say what
    was spent (pixels decoded or rendered, bytes of the rebuilt files)."""

    pixels: int = APPEAL_PIXELS
    rebuilt_bytes: int = APPEAL_REBUILT_BYTES
    meter: Meter | None = None
    decoded: int = 0
    written: int = 0

    def pixels_left(self) -> int:
        """The most pixels the next file may cost, the client's hourly budget included."""
        if self.meter is None:
            return self.pixels
        return min(self.pixels, self.meter.left())

    def take_pixels(self, pixels: int) -> None:
        """Pay for pixels before decoding them, or raise the writer's reason why not."""
        if pixels > self.pixels:
            raise appeal_too_large()
        if self.meter is not None and not self.meter.take(pixels):
            raise over_the_clients_limit()
        self.pixels -= pixels
        self.decoded += pixels

    def give_back_pixels(self, pixels: int) -> None:
        """Return pixels paid in advance (a PDF's allowance) that were not rendered."""
        self.pixels += pixels
        self.decoded -= pixels
        if self.meter is not None:
            self.meter.give_back(pixels)

    def take_bytes(self, most: int) -> None:
        """Reserve the most bytes a rebuilt file can have, before it is made."""
        if most > self.rebuilt_bytes:
            raise appeal_too_heavy()
        self.rebuilt_bytes -= most

    def wrote(self, reserved: int, written: int) -> None:
        """Settle a reservation with what the rebuilt file really has."""
        self.rebuilt_bytes += reserved - written
        self.written += written
