import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.waitingroom.services import run_open_rooms


class Command(BaseCommand):
    help = (
        "The waiting room's controller: one round for every open room (windows ended, "
        "admissions in order). With --loop, a round every --every seconds; safe to run on "
        "several machines at once (each room is locked for its round)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--every", type=float, default=2.0)
        parser.add_argument("--rounds", type=int, default=0, help="with --loop: stop after N")

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = 0
        while True:
            done = run_open_rooms()
            if any(done.values()):
                self.stdout.write(", ".join(f"{name}: {count}" for name, count in done.items()))
            rounds += 1
            if not options["loop"] or (options["rounds"] and rounds >= options["rounds"]):
                return
            time.sleep(options["every"])
