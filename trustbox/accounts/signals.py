"""Signals of staff accounts, for the apps above that record or keep something for a person."""

from django.dispatch import Signal

# Sent inside the transaction that records a new password, with user, old_password and
# new_password. A receiver that keeps a secret locked under the password moves it along and
# returns False if it could not (the secret was locked under an earlier password).
password_changing = Signal()

# Sent inside the transaction, with user and keeps_key, once the new password is recorded.
password_changed = Signal()

# Sent inside the transaction, with user, when an authenticator becomes the second factor.
second_factor_confirmed = Signal()

# Sent inside the transaction, with user and terminal_user (the operator's login on the
# server), when an operator has reset the person's password with the changepassword command.
password_reset = Signal()

# Sent inside the transaction, with user and language, when a person chose the language of
# their email on their own page.
language_chosen = Signal()
