"""Accompagnement Québec (seed 001): the kind (`kind.py`), its case work (`casework.py`) and
its models (`models.py`)."""
