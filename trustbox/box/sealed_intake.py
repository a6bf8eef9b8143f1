"""Envelopes sealed in the writer's browser (public/static/public/seal.js): checked and chained.

The server cannot open them: it checks what it can see (the version byte, a size class, the
form of the locked writer's key and of the lookup hash) and links the envelope into the chain
like any sealed appeal. Whether it opens is found at the opening, which sets aside one that
does not, with its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from trustbox.box.models import SealedAppeal
from trustbox.box.selectors import WriterBox, box_key_opens
from trustbox.box.services import AlreadyInTheBox, BoxNotReady, Receipt, sealed_chain_in
from trustbox.seal import crypto

_LOOKUP = re.compile(r"[0-9a-f]{64}")


class EnvelopeRefused(Exception):
    """A browser's envelope has not the form of one: the message says what, for the writer."""


class SealedToAnotherKey(Exception):
    """Sealed to a box key this school's opening cannot open (another school's, or a key no
    renewal links to the key in force): the box does not take it."""


@dataclass(frozen=True)
class BrowserSealed:
    """What a browser sends of a sealed appeal: nothing the server could read it by."""

    envelope: bytes
    lookup: str  # the receipt's lookup hash (hex), derived in the browser
    writer_key_locked: bytes  # the writer's private key, locked in the browser
    urgent: bool  # outside the envelope, as for every appeal: it tells the commission at once
    # The box key it was sealed to: the key in force, or (an envelope a foyer tablet sealed
    # before a renewal) one the key in force replaced, which the opening still opens.
    box_key_id: int


ENVELOPE_REFUSED = _(
    "Your browser sealed the appeal in a form the box does not take. Your text is kept: please "
    "send it again, or update the browser."
)


def envelope_refusal(sealed: BrowserSealed) -> str | None:
    """Why the server refuses this envelope, in the writer's words; None if it has the form."""
    if not crypto.browser_envelope_form_holds(sealed.envelope):
        return str(ENVELOPE_REFUSED)
    if not _LOOKUP.fullmatch(sealed.lookup) or not crypto.browser_writer_key_holds(
        sealed.writer_key_locked
    ):
        return str(
            _(
                "Your browser made the receipt in a form the box does not take. Your text is "
                "kept: please send it again, or update the browser."
            )
        )
    return None


def appeal_submit_sealed(*, into: WriterBox, sealed: BrowserSealed, form_token: str) -> Receipt:
    """Chain and store an envelope sealed in a browser; the receipt's code stays in the browser.

    Raises EnvelopeRefused (see envelope_refusal), BoxNotReady, SealedToAnotherKey,
    AlreadyInTheBox (the form's token, or a lookup hash already in the box: the same envelope
    sent again).
    """
    refusal = envelope_refusal(sealed)
    if refusal is not None:
        raise EnvelopeRefused(refusal)
    if into.box_key_id is None:
        raise BoxNotReady
    if not box_key_opens(into, sealed.box_key_id):
        raise SealedToAnotherKey
    # The same envelope sent again with a new token (a foyer tablet whose answer was lost
    # before it kept its token): its receipt's lookup hash is in the box already.
    if SealedAppeal.objects.filter(receipt_lookup=sealed.lookup).exists():
        raise AlreadyInTheBox
    appeal = SealedAppeal(
        school=into.school,
        box_key_id=sealed.box_key_id,
        urgent=sealed.urgent,
        paper=False,
        ciphertext=sealed.envelope,
        receipt_lookup=sealed.lookup,
        writer_key_locked=sealed.writer_key_locked,
    )
    return Receipt(sealed=sealed_chain_in(appeal, form_token=form_token), code="")
