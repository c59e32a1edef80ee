"""The one way a rule says no. A service raises `Refused(code, message, field=...)`: the code is
for programs (a future API returns it), the message is for people (a page shows it, next to
`field` when it names one). Messages are written next to the rules that raise them, never in
views. `context` carries what a page may need to say more (the appointment in the way, every
reason a submission is refused)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class Refused(Exception):
    def __init__(
        self, code: str, message: str | Promise = "", *, field: str | None = None, **context: Any
    ) -> None:
        super().__init__(code)
        self.code = code
        self._message = message
        self.field = field
        self.context = context

    @property
    def message(self) -> str:
        return str(self._message) if self._message else self.code

    @property
    def reasons(self) -> list[str]:
        """Every reason, when a rule found several (a submission's conditions)."""
        return [str(r) for r in self.context.get("reasons") or [self.message]]

    def __str__(self) -> str:
        return self.message
