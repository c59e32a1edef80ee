"""The dossier kinds the intake owns, each in its own folder like every kind
(`guichet.dossiers.kinds.accompagnement`): `kind.py` registers it with the dossier engine (its
number, sections, lifecycle and rules), `forms.py` holds its sections' forms."""
