"""Signals of the box."""

from django.dispatch import Signal

# Sent with `appeal` inside the transaction that stores a sealed appeal, after its row and the
# box's new head are written and before they are committed. Nothing in Trust Box receives it:
# the fault tests (tests/faults) stop a server there to show that a half-done submission leaves
# nothing behind.
appeal_sealing = Signal()
