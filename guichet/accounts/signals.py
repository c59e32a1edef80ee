"""What accounts tell the apps above them, without importing them."""

from django.dispatch import Signal

# Sent inside the transaction that created a consultation profile, with `user` and
# `authorization` (the verified authorization code kept in the session, or None). A receiver
# that raises `Refused` undoes the profile: the view shows the refusal.
profile_created = Signal()
