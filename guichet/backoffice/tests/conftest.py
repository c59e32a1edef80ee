from guichet.payments.tests.support import bank, ledger  # noqa: F401  (fixtures)
