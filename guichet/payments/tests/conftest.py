from .support import bank, ledger, purpose  # noqa: F401  (fixtures)
