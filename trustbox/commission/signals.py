"""Signals of the commission, for the apps above that keep the commission's records."""

from django.dispatch import Signal

# Sent inside the transaction that records the first session's open vote (cl. 4.5), with
# commission, election and by: the meetings app keeps it as the protocol of the first session.
election_recorded = Signal()
