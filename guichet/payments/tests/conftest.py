from .support import bank, ledger  # noqa: F401  (fixtures)
