"""The dossier kinds the employer portal owns, each in its own folder like every kind
(`guichet.dossiers.kinds.accompagnement`): `kind.py` registers it with the dossier engine and
holds its rules, `forms.py` its sections' forms."""
