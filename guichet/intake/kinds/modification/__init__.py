"""The request for modification of a submitted CSQ application (seed 002 FAQ: « Demande de
modification »): the kind, its form and its rules (`kind.py`)."""
