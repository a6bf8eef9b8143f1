"""Signals of the commission, for the apps above that keep something for its members."""

from django.dispatch import Signal

# Sent inside the transaction that enters a new order, with school, commission (the one now
# in force), previous (the one it replaced, or None) and by (who entered the order). Access
# that followed the old membership must end at once.
commission_replaced = Signal()

# Sent inside the transaction that records the first session's open vote (cl. 4.5), with
# commission, election and by: the meetings app keeps it as the protocol of the first session.
election_recorded = Signal()
