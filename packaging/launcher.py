"""The installed app's entry point: the same ``placeplanner`` command a checkout runs."""

import multiprocessing
import sys
from pathlib import Path

from placeplanner.cli import main


def _arguments() -> list[str]:
    """A plan handed over on its own (a file opened from Finder, or dropped on the program) opens it."""
    args = sys.argv[1:]
    if len(args) == 1 and args[0].endswith(".placeplan") and Path(args[0]).is_file():
        return ["open", args[0]]
    return args


if __name__ == "__main__":
    # The frontier and robustness runs use a process pool; on Windows and macOS its workers start
    # by running this program again, which must become a worker, not a second app.
    multiprocessing.freeze_support()
    sys.exit(main(_arguments()))
