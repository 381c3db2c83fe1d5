"""Errors that carry a message fit to show a user as it is."""

from __future__ import annotations

from dataclasses import dataclass


class PlanError(Exception):
    """A problem the user can act on; its message names what and where."""


class PlanFileError(PlanError):
    """The plan file cannot be used: corrupt, not a plan, too new, or held by another process."""


class PlanLockedError(PlanFileError):
    """Another process holds the plan open for writing."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the plan or with input: where it is and why it is refused.

    ``table``, ``record`` and ``column`` let an importer point at the file, row and
    column the record came from; ``where`` is what a user reads when there is no file.
    """

    where: str
    message: str
    table: str = ""
    record: tuple[object, ...] = ()
    column: str = ""
    inline: bool = False  # "option 'X' is led by ..." rather than "options.csv, row 3: ..."

    def __str__(self) -> str:
        if not self.where:
            return self.message
        return f"{self.where} {self.message}" if self.inline else f"{self.where}: {self.message}"


class ValidationError(PlanError):
    """Input or an edit that would break the plan's rules; nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems = problems
        first = str(problems[0])
        more = len(problems) - 1
        super().__init__(first if more == 0 else f"{first} (and {more} more problem{'s' * (more > 1)})")
