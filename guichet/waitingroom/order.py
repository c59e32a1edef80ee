"""The lottery's order, in plain Python with no dependency, so that anyone can recompute it
from the public log (`python -m guichet.waitingroom.order LOG.csv SEED`).

A pre-queue's order is a permutation drawn from a seed: each queue number's key is the SHA-256
of `<seed>:<number>` and the numbers are sorted by key (ties are impossible in practice and
broken by the number). The seed's SHA-256 is published before the opening, the seed after it,
so nobody — the ministry included — could choose the order once the candidates had joined.
Those who join after the opening come after the pre-queue, in their order of arrival.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections.abc import Iterable, Sequence


def digest(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def lottery_key(seed: str, number: int) -> str:
    return hashlib.sha256(f"{seed}:{number}".encode()).hexdigest()


def lottery_order(seed: str, numbers: Iterable[int]) -> list[int]:
    """The pre-queue's numbers in their drawn order."""
    return sorted(numbers, key=lambda number: (lottery_key(seed, number), number))


def order_from_log(rows: Sequence[dict[str, str]], seed: str | None) -> list[int]:
    """The order of admission that the log's `join` and `draw` lines imply: the numbers that
    joined before the draw in the lottery's order (or in their own order without a draw), then
    the others in their order of arrival."""
    before: list[int] = []
    after: list[int] = []
    drawn = False
    for row in rows:
        if row["kind"] == "draw":
            drawn = True
        elif row["kind"] == "join":
            (after if drawn else before).append(int(row["number"]))
    if drawn:
        if not seed:
            raise ValueError("the log has a draw: give the published seed")
        before = lottery_order(seed, before)
    return before + after


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python -m guichet.waitingroom.order LOG.csv [SEED]", file=sys.stderr)
        return 2
    with open(argv[1], newline="", encoding="utf-8-sig") as handle:  # the export's BOM
        rows = list(csv.DictReader(handle))
    seed = argv[2] if len(argv) == 3 else None
    draws = [row for row in rows if row["kind"] == "draw"]
    if seed and draws and draws[0].get("detail") and draws[0]["detail"] != digest(seed):
        print("the seed does not match the digest published in the log", file=sys.stderr)
        return 1
    for rank, number in enumerate(order_from_log(rows, seed), start=1):
        print(f"{rank},{number}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
