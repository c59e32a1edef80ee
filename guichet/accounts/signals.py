"""What accounts tell the apps above them, without importing them."""

from django.dispatch import Signal

# Sent inside the transaction that created a consultation profile, with `user` and
# `authorization` (the verified authorization code kept in the session, or None). A receiver
# that raises `Refused` undoes the profile: the view shows the refusal.
profile_created = Signal()

# Sent after a person's identity (names, sex, date of birth in « Renseignements personnels »)
# changed, with `user`: an account whose holder changes after a submission may have been given
# away or sold (seed 002 « Les comptes cédés ou vendus seront refusés »).
identity_changed = Signal()
