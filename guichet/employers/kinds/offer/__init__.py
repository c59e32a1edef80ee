"""The job offer (seed 004 §IV, « Offre d'emploi »): the kind and its rules (`kind.py`) and its
four forms (`forms.py`)."""
