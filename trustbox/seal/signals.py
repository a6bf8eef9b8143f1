"""Signals of the seal, for the apps above that seal things to a person's key."""

from django.dispatch import Signal

# Sent with user when a person's personal key is replaced (a forgotten password): whatever
# was sealed to the old key can no longer be opened and is dropped by its owner.
member_key_replaced = Signal()
