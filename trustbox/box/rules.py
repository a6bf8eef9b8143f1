"""Who may do what with the box's staff side."""

from __future__ import annotations

from trustbox.accounts.access import Role

# A member of the commission sets the foyer tablet up and confirms a new box key on it.
KIOSK_KEEPERS = (Role.MEMBER,)
