from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """makemessages without fuzzy matching: a new French string must get its own English
    translation, never a guess taken from a similar string (the catalogue test rejects fuzzy)."""

    msgmerge_options = ["-q", "--backup=none", "--update", "--no-fuzzy-matching"]
