"""The CSQ application (seed 002, Programme régulier des travailleurs qualifiés): the kind and
its rules (`kind.py`) and its sections' forms (`forms.py`)."""
