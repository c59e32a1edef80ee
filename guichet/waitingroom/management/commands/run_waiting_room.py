from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.core.resilience import loop
from guichet.waitingroom.services import run_open_rooms


class Command(BaseCommand):
    help = (
        "The waiting room's controller: one round for every open room (windows ended, "
        "admissions in order). With --loop, a round every --every seconds; safe to run on "
        "several machines at once (each room is locked for its round). A lost database "
        "(restart, fail-over) does not end the loop: it reconnects and goes on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--every", type=float, default=2.0)
        parser.add_argument("--rounds", type=int, default=0, help="with --loop: stop after N")

    def handle(self, *args: Any, **options: Any) -> None:
        def report(done: dict[str, int]) -> None:
            if any(done.values()):
                self.stdout.write(", ".join(f"{name}: {count}" for name, count in done.items()))

        if not options["loop"]:
            report(run_open_rooms())
            return
        failed = loop(
            run_open_rooms, every=options["every"], rounds=options["rounds"], on_result=report
        )
        if failed:
            self.stderr.write(f"rounds without the database: {failed}")
