"""The back office's pages, one module per area: calendar (sessions, attendance, dashboard),
clients (search, bookings on their behalf), registration (« Inscrire un nouveau client »),
dossiers (the agents' queue and case work), places and offered types, audit. Views only: the
rules and every write live in the domain apps' services."""
