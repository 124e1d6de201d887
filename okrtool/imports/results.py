"""What an import did, file by file: values added, changed and unchanged, refusals, notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from okrtool.problems import Problem


@dataclass
class Change:
    """One value an import adds, changes or leaves as it was."""

    agency: str
    key_result: str
    period: str
    old: str | None
    new: str
    cell: str


@dataclass
class FileResult:
    """What happened to one workbook."""

    name: str
    agencies: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    rows_read: int = 0
    not_reported: int = 0
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    refusals: list[Problem] = field(default_factory=list)
    #: report files written (relative to the data folder); empty on a dry run
    written: list[str] = field(default_factory=list)
    #: what the reader passed over and the officer should know (a hidden sheet with a table,
    #: a note on a row with no value)
    notes: list[str] = field(default_factory=list)
    #: notes typed on rows with no value ('-' or blank): not stored
    notes_not_stored: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    @property
    def refused_whole(self) -> bool:
        """Refused for the file itself (its type, its size, no table), not for cells in it."""
        return self.refused and not any(len(p.path) == 2 for p in self.refusals)


@dataclass
class ImportResult:
    """Every file's result, in the order given."""

    files: list[FileResult]
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if any(f.refused for f in self.files) else 0
