"""Signals of the box."""

from django.dispatch import Signal

# Sent with `appeal` inside the transaction that stores a sealed appeal, after its row and the
# box's new head are written and before they are committed. The counters (trustbox/metrics)
# count the appeal when it commits, by the hour; the fault tests (tests/faults) stop a server
# there to show that a half-done submission leaves nothing behind.
appeal_sealing = Signal()
