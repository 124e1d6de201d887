"""`okrtool import-reports`: report workbooks in, checked and merged into data/reports/.

For each workbook: read its report tables (``workbook.py``), read what was typed (``typed.py``)
into candidate ``ReportValue``s, put them beside the stored values, and run the report rules of
``rules.py`` — the ones ``okrtool validate`` runs — over the merged values. A value that differs
from one already stored is a conflict unless ``replace``. A file with any problem is refused
whole and nothing of it is written; a file without is written by ``store.py``.

Every refusal is a ``Problem`` located at a workbook cell: ``file`` is the workbook as named on
the command line and ``path`` is ``(sheet, cell)``; ``place`` renders it ``FILE › SHEET!CELL``.
Functions return results; none prints.
"""

from __future__ import annotations

import copy
import errno
import gc
import glob
import os
import re
import stat
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from okrtool.errors import UsageError
from okrtool.fiscal import Period
from okrtool.io.dataset import REPORTS_DIR, Dataset
from okrtool.io.store import LOCK_TIMEOUT, commit, import_lock, prepare, report_file
from okrtool.io.workbook import (
    AGENCY,
    KEY_RESULT,
    NOTE,
    PERIOD,
    VALUE,
    WORKBOOK_SUFFIXES,
    Cell,
    Table,
    Workbook,
    WorkbookError,
    cell_ref,
    load_checked,
    read_workbook,
)
from okrtool.model import KeyResult, ReportValue
from okrtool.problems import ERROR, Problem
from okrtool.rules.check import report_values
from okrtool.typed import TypedError, is_not_reported, normalize, number, period_of, plain, shown

#: A note longer than this is refused: it is stored beside the value in the report file.
MAX_NOTE_CHARS = 1000

#: Which cell of a row a report rule's problem points at.
_CELL_OF_CODE = {
    "E202": KEY_RESULT,
    "E601": KEY_RESULT,
    "E602": KEY_RESULT,
    "E502": PERIOD,
    "E603": PERIOD,
}


@dataclass
class Options:
    """How to import: ``agency`` and ``period`` are used where a workbook does not say."""

    replace: bool = False
    dry_run: bool = False
    agency: str | None = None
    period: str | None = None
    #: the time recorded with every imported value (ISO 8601); default: now
    now: str | None = None
    lock_timeout: float = LOCK_TIMEOUT


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


def place(p: Problem) -> str:
    """Where a refusal is: ``FILE › SHEET!CELL``, ``FILE › SHEET``, or the file alone."""
    if len(p.path) == 2:
        return f"{p.file} › {p.path[0]}!{p.path[1]}"
    if len(p.path) == 1:
        return f"{p.file} › {p.path[0]}"
    if p.line:
        return f"{p.file}:{p.line}"
    return p.file


def refusal_text(p: Problem) -> str:
    """``FILE › SHEET!CELL: CODE message``, and the hint on the next line."""
    text = f"{place(p)}: {p.code} {p.message}"
    return text + (f"\n    hint: {p.hint}" if p.hint else "")


def expand(args: list[str]) -> list[Path]:
    """Files from the command line: files as given, folders for the workbooks in them, globs.
    Raises UsageError for a name that matches nothing or cannot be looked at."""
    out: dict[Path, None] = {}
    for arg in args:
        path = Path(arg)
        try:
            info = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UsageError(f"{arg}: a symbolic link that loops onto itself") from None
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                raise UsageError(f"{arg}: cannot be read ({exc.strerror})") from None
            info = None
        try:
            if info is not None and stat.S_ISDIR(info.st_mode):
                found = [
                    p
                    for p in sorted(path.rglob("*"))
                    if p.is_file()
                    and p.suffix.lower() in WORKBOOK_SUFFIXES
                    and not p.name.startswith(("~$", ".~lock", "."))
                ]
                if not found:
                    raise UsageError(f"{arg}: no workbooks (.xlsx) in this folder")
                out.update(dict.fromkeys(found))
            elif info is not None:
                out[path] = None  # not a regular file: refused as such when read (E801)
            elif glob.has_magic(arg):
                found = sorted(Path(m) for m in glob.glob(arg, recursive=True) if Path(m).is_file())
                if not found:
                    raise UsageError(f"{arg}: no file matches")
                out.update(dict.fromkeys(found))
            else:
                raise UsageError(f"{arg}: no such file")
        except OSError as exc:  # a folder in it that cannot be looked at
            raise UsageError(f"{exc.filename or arg}: cannot be read ({exc.strerror})") from None
    return list(out)


def check_data_folder(root: Path, write: bool) -> None:
    """Raise UsageError unless ``root`` is a data folder an import can read (and, if ``write``,
    write into: its lock file, report files): checked before anything is taken or read."""
    from okrtool.rules.validate import check_data_folder as check_is_data_folder

    try:
        info = os.stat(root)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(
                f"--data {root}: a symbolic link that loops onto itself; expected the data "
                "folder (like data/)"
            ) from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise UsageError(f"--data {root}: no such folder") from None
        raise UsageError(f"--data {root}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--data {root}: not a folder; expected the data folder (like data/)")
    if not os.access(root, os.R_OK | os.X_OK):
        raise UsageError(f"--data {root}: cannot read this folder (permission denied)")
    check_is_data_folder(root)
    if write:
        _check_writable(root, root, "its lock file")
        reports = root / REPORTS_DIR
        if reports.is_dir():
            _check_writable(root, reports, "report files")


def _check_writable(root: Path, folder: Path, what: str) -> None:
    """Raise UsageError unless files can be made in ``folder`` (the nearest one that exists)."""
    while not folder.exists() and folder != root:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            f"{folder}: cannot write in this folder (permission denied), and an import writes "
            f"{what} there; nothing was imported (import as a user who may write there; "
            "--dry-run writes nothing)"
        )


# --- resolving what a cell names ---------------------------------------------------------------

_AGENCY_PREFIXES = ("สำนักงานเขต", "เขต", "สำนักงาน", "district office", "district")


def _key(text: str) -> str:
    return re.sub(r"[\s.]+", "", normalize(text).lower())


class Names:
    """Agencies and key results by id, name, title or abbreviation, as people write them."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.agencies: dict[str, str] = {}
        for agency in ds.agencies.values():
            names = [agency.id, agency.name_th, agency.name_en]
            names += [getattr(agency, key, None) or "" for key in ("abbr_th", "abbr_en")]
            for name in names:
                if name:
                    self.agencies.setdefault(_key(name), agency.id)
                    self.agencies.setdefault(_key(_strip_prefix(name)), agency.id)
        self.key_results: dict[str, str] = {}
        titles: dict[str, set[str]] = defaultdict(set)
        for kr in ds.key_results.values():
            self.key_results[kr.id] = kr.id
            titles[_key(kr.title_th)].add(kr.id)
            titles[_key(kr.title_en)].add(kr.id)
        for title, ids in titles.items():
            if len(ids) == 1:
                self.key_results.setdefault(title, next(iter(ids)))

    def agency(self, raw: object) -> str | None:
        """The agency id a cell names (id, Thai or English name, '(id)'), or None."""
        text = normalize(str(raw))
        m = re.search(r"\(([a-z][a-z0-9-]*)\)\s*$", text)
        if m and m.group(1) in self.ds.agencies:
            return m.group(1)
        for candidate in (text, _strip_prefix(text)):
            found = self.agencies.get(_key(candidate))
            if found:
                return found
        return None

    def key_result(self, raw: object) -> str:
        """The key result id a cell names (its id or its exact title); else the text as typed,
        for the rules to report as unknown."""
        text = normalize(str(raw))
        return self.key_results.get(text) or self.key_results.get(_key(text)) or text

    def agency_from_file_name(self, path: Path) -> str | None:
        """An agency id that the file name starts with (``bang-rak-2567-06.xlsx``), or None."""
        stem = path.stem.lower()
        best = None
        for agency in self.ds.agencies:
            named = stem == agency or stem.startswith((agency + "-", agency + "_"))
            if named and (best is None or len(agency) > len(best)):
                best = agency
        return best


def _strip_prefix(text: str) -> str:
    low = text.lower()
    for prefix in _AGENCY_PREFIXES:
        if low.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


# --- one workbook -----------------------------------------------------------------------------


@dataclass
class _Candidate:
    value: ReportValue
    cells: dict[str, str]  # field → cell reference
    sheet: str


def _refusal(name: str, sheet: str, ref: str, code: str, message: str, hint: str = "") -> Problem:
    row = int(re.sub(r"\D", "", ref) or 0)
    column = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(re.sub(r"\d", "", ref))))
    return Problem(code, name, message, row, column, hint=hint, path=(sheet, ref))


class _Defaults:
    """The agency and period a table's rows take when they have no cell of their own."""

    def __init__(self) -> None:
        self.agency: str | None = None
        self.period: Period | None = None


def _table_defaults(
    names: Names, wb_meta: dict[str, str], table: Table, path: Path, name: str, options: Options
) -> tuple[_Defaults, list[Problem]]:
    out, problems = _Defaults(), []
    fiscal_year = int(wb_meta["fiscal_year"]) if wb_meta.get("fiscal_year", "").isdigit() else None
    label = table.labels.get(AGENCY)
    meta_agency = wb_meta.get("agency")
    if meta_agency and meta_agency in names.ds.agencies:
        out.agency = meta_agency
    elif label is not None:
        out.agency = names.agency(label.value)
        if out.agency is None:
            problems.append(
                _refusal(
                    name,
                    table.sheet,
                    label.ref,
                    "E202",
                    f"found the agency {shown(label.value)}, expected an agency id or name "
                    "(like bang-rak or บางรัก)",
                )
            )
    if out.agency is None and options.agency:
        out.agency = names.agency(options.agency)
    if out.agency is None and not problems:
        out.agency = names.agency_from_file_name(path)
    if options.agency and out.agency and names.agency(options.agency) not in (None, out.agency):
        problems.append(
            Problem(
                "E806",
                name,
                f"the workbook is for '{out.agency}', but --agency says '{options.agency}'",
                hint="leave out --agency, or import the other agency's workbook",
            )
        )
    for source, raw, ref in (
        ("label", label_value(table, PERIOD), table.labels.get(PERIOD)),
        ("meta", wb_meta.get("period"), None),
        ("option", options.period, None),
    ):
        if raw is None or out.period is not None:
            continue
        try:
            out.period = period_of(raw, fiscal_year)
        except TypedError as exc:
            if source == "option":
                raise UsageError(f"--period {raw}: {exc}") from None
            if ref is not None:
                problems.append(_refusal(name, table.sheet, ref.ref, "E501", str(exc)))
    return out, problems


def label_value(table: Table, name: str) -> object:
    """The value of a label above the table (``งวด: มิ.ย. 67``), or None."""
    cell = table.labels.get(name)
    return None if cell is None else cell.value


def _read_rows(
    names: Names,
    table: Table,
    defaults: _Defaults,
    name: str,
    path: Path,
    sha256: str,
    now: str,
    result: FileResult,
) -> tuple[list[_Candidate], list[Problem]]:
    ds = names.ds
    candidates: list[_Candidate] = []
    problems: list[Problem] = []
    sheet = table.sheet
    fiscal_year = defaults.period.fiscal_year if defaults.period else None

    def refuse(cell: Cell, code: str, message: str, hint: str = "") -> None:
        problems.append(_refusal(name, sheet, cell.ref, code, message, hint))

    for row in table.rows:
        cells = row.cells
        formulas = [c for c in cells.values() if c.formula]
        for c in formulas:
            refuse(
                c,
                "E804",
                f"found the formula {c.formula} with no saved result, expected a value",
                "open the file in Excel or LibreOffice so that it calculates, save it and send "
                "it again; or type the number instead of the formula",
            )
        if formulas:
            continue
        kr_cell, value_cell = cells[KEY_RESULT], cells[VALUE]
        if is_not_reported(value_cell.value):
            if not is_not_reported(kr_cell.value):
                result.not_reported += 1
                note_cell = cells.get(NOTE)
                if note_cell is not None and not is_not_reported(note_cell.value):
                    # a report file holds a note beside a value only: say it is not kept
                    result.notes_not_stored += 1
                    result.notes.append(
                        f"{cell_ref(sheet, note_cell.ref)}: the note {shown(note_cell.value)} "
                        f"is on a row with no value ({shown(value_cell.value)} in "
                        f"{value_cell.ref}): not stored, since a report file keeps a note "
                        "only beside a value"
                    )
            continue
        if is_not_reported(kr_cell.value):
            refuse(
                kr_cell,
                "E803",
                f"found no key result id beside the value {shown(value_cell.value)} in "
                f"{value_cell.ref}, expected the id of a key result (like trees-planted)",
                "fill in the key result id, or clear the value if the row is a total",
            )
            continue
        result.rows_read += 1
        kr_id = names.key_result(kr_cell.value)
        kr: KeyResult | None = ds.key_results.get(kr_id)
        refs = {KEY_RESULT: kr_cell.ref, VALUE: value_cell.ref}

        agency = defaults.agency
        agency_cell = cells.get(AGENCY)
        if agency_cell is not None and not is_not_reported(agency_cell.value):
            refs[AGENCY] = agency_cell.ref
            agency = names.agency(agency_cell.value)
            if agency is None:
                refuse(
                    agency_cell,
                    "E202",
                    f"found the agency {shown(agency_cell.value)}, expected an agency id or name "
                    "(like bang-rak or บางรัก)",
                )
                continue
        if agency is None:
            refuse(
                kr_cell,
                "E806",
                "found no agency for this row, expected an Agency column, a 'หน่วยงาน / Agency:' "
                "line above the table, or the template's record of its agency",
                "add one of them, or pass --agency",
            )
            continue

        when = defaults.period
        period_cell = cells.get(PERIOD)
        if period_cell is not None and not is_not_reported(period_cell.value):
            refs[PERIOD] = period_cell.ref
            try:
                when = period_of(period_cell.value, fiscal_year)
            except TypedError as exc:
                refuse(period_cell, "E501", str(exc))
                continue
        if when is None:
            refuse(
                kr_cell,
                "E806",
                "found no period for this row, expected a Period column, a 'งวด / Period:' line "
                "above the table, or the template's record of its period",
                "add one of them, or pass --period",
            )
            continue
        refs.setdefault(PERIOD, refs[VALUE])

        units = (kr.unit, kr.unit_th or "") if kr is not None and not kr.is_percent else ()
        try:
            typed = number(value_cell.value, value_cell.number_format, units)
        except TypedError as exc:
            expected = exc.expected
            if kr is not None and not kr.is_percent:
                expected = expected.replace("a number", f"a number of {kr.unit}", 1)
            refuse(value_cell, "E803", f"found {exc.found}, expected {expected}")
            continue
        if typed.percent and kr is not None and not kr.is_percent:
            refuse(
                value_cell,
                "E803",
                f"found {plain(typed.value)}% (a percentage), expected a number of {kr.unit}",
                "type the number itself; if the cell shows %, format it as Number",
            )
            continue
        note_cell = cells.get(NOTE)
        note = ""
        if note_cell is not None and note_cell.value is not None:
            raw = note_cell.value
            note = plain(float(raw)) if isinstance(raw, int | float) else normalize(str(raw))
            if len(note) > MAX_NOTE_CHARS:
                refuse(
                    note_cell,
                    "E803",
                    f"found a note of {len(note):,} characters, expected at most "
                    f"{MAX_NOTE_CHARS:,}",
                    "shorten the note: it is stored with the value in the report file",
                )
                continue
        rv = ReportValue(
            agency,
            when.fiscal_year,
            kr_id,
            when,
            typed.value,
            "import",
            note,
            path.name,
            sha256,
            cell_ref(sheet, value_cell.ref),
            now,
            f"{name} › {sheet}",
            row.number,
        )
        candidates.append(_Candidate(rv, refs, sheet))
    return candidates, problems


class _Stored:
    """The stored values, by agency and then (key result, period): what each file is merged
    with. Files merged earlier in the same run are in it too."""

    def __init__(self, reports: list[ReportValue]) -> None:
        self.by_agency: dict[str, dict[tuple[str, Period], ReportValue]] = defaultdict(dict)
        for rv in reports:
            self.by_agency[rv.agency][(rv.key_result, rv.period)] = rv

    def get(self, rv: ReportValue) -> ReportValue | None:
        """The stored value ``rv`` would replace, if any."""
        return self.by_agency.get(rv.agency, {}).get((rv.key_result, rv.period))

    def put(self, rv: ReportValue) -> None:
        """Take ``rv`` in, in place of the stored value it replaces."""
        self.by_agency[rv.agency][(rv.key_result, rv.period)] = rv

    def beside(self, values: list[ReportValue]) -> list[ReportValue]:
        """The stored values of the agencies and fiscal years of ``values`` that ``values`` do
        not replace, then ``values``: the merged reports the rules check."""
        keys = {(rv.agency, rv.key_result, rv.period) for rv in values}
        years = {rv.fiscal_year for rv in values}  # other years' values cannot clash with these
        out = [
            rv
            for agency in sorted({rv.agency for rv in values})
            for key, rv in self.by_agency.get(agency, {}).items()
            if rv.fiscal_year in years and (agency, *key) not in keys
        ]
        return out + values


def _rule_problems(
    ds: Dataset, stored: _Stored, name: str, candidates: list[_Candidate]
) -> list[Problem]:
    """The report rules of validate over the stored values of the agencies in the file, with the
    file's values in place of the stored ones they would replace; their problems, located."""
    view = copy.copy(ds)
    view.reports = stored.beside([c.value for c in candidates])
    view.report_file_agency = {}  # file names are checked by validate; these are not files yet
    by_row = {(c.value.origin, c.value.line): c for c in candidates}
    out = []
    for p in report_values(view):
        if p.severity != ERROR:
            continue
        found = by_row.get((p.file, p.line))
        if found is None:  # on a stored row: the dataset was clean, so the file caused it
            out.append(Problem(p.code, p.file, p.message, p.line, 1, hint=p.hint))
            continue
        ref = found.cells.get(_CELL_OF_CODE.get(p.code, VALUE), found.cells[VALUE])
        hint = p.hint
        if p.code == "E604":  # a running total below an earlier one: the earlier may be wrong
            hint += " in this file too (a row for that period) and import with --replace"
        out.append(_refusal(name, found.sheet, ref, p.code, p.message, hint))
    return out


def read_books(paths: list[Path], use: Callable[[Path, Book], T]) -> list[T]:
    """``use(path, book)`` for every workbook of ``paths``, in the order given, where ``book``
    is the workbook read (``workbook.read_workbook``) or the WorkbookError saying why it could
    not be. Several files are read by one process a core (``parallel.fork_map``): reading is
    openpyxl parsing XML in Python, bound by the CPU, and the rest of an import waits for it."""
    from okrtool.io.parallel import fork_map

    return fork_map(lambda path: use(path, _read_book(path)), paths)


T = TypeVar("T")
Book = Workbook | WorkbookError


def _read_book(path: Path) -> Book:
    try:
        return read_workbook(path)
    except WorkbookError as exc:
        return exc


@dataclass
class _Read:
    """One workbook's rows read as candidate values, before they are checked and merged."""

    path: Path
    result: FileResult
    candidates: list[_Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _read_one(names: Names, path: Path, book: Book, options: Options, now: str) -> _Read:
    """The rows of one workbook as candidate values, and what is wrong with them by themselves
    (runs in a reader process: its result is pickled back whole)."""
    name = str(path)
    read = _Read(path, FileResult(name))
    if isinstance(book, WorkbookError):
        read.result.refusals.append(Problem(book.code, name, book.message, hint=book.hint))
        return read
    read.result.notes = list(book.notes)
    for table in book.tables:
        defaults, table_problems = _table_defaults(names, book.meta, table, path, name, options)
        read.problems += table_problems
        found, row_problems = _read_rows(
            names, table, defaults, name, path, book.sha256, now, read.result
        )
        read.candidates += found
        read.problems += row_problems
    if not read.candidates and not read.problems:
        read.problems.append(
            Problem(
                "E802",
                name,
                "found no value to import: every value cell is blank or '-'",
                hint="fill in the Value column (ผลการดำเนินงาน) and send the file again",
            )
        )
    return read


def _merge_one(ds: Dataset, stored: _Stored, root: Path, read: _Read, options: Options) -> None:
    """Check one workbook's values beside the stored ones and write them, or refuse it whole."""
    result, candidates, problems = read.result, read.candidates, read.problems
    if result.refused:  # not readable at all
        return
    name = result.name
    problems += _rule_problems(ds, stored, name, candidates)
    result.agencies = sorted({c.value.agency for c in candidates})
    result.periods = sorted({str(c.value.period) for c in candidates})
    to_write: list[ReportValue] = []
    for c in candidates:
        rv = c.value
        old = stored.get(rv)
        change = Change(rv.agency, rv.key_result, str(rv.period), None, plain(rv.value), rv.cell)
        if old is None:
            result.added.append(change)
            to_write.append(rv)
            continue
        change.old = plain(old.value)
        if change.old == change.new:
            result.unchanged.append(change)
        elif options.replace:
            result.changed.append(change)
            to_write.append(rv)
        else:
            problems.append(
                _refusal(
                    name,
                    c.sheet,
                    c.cells[VALUE],
                    "E805",
                    f"'{rv.key_result}' for {rv.period} is stored as {shown(old.value)} "
                    f"({report_file(old.fiscal_year, old.agency)}); this file says "
                    f"{shown(rv.value)}: {shown(old.value)} → {shown(rv.value)}",
                    "to change the stored value, import the file again with --replace",
                )
            )
    if problems:
        result.refusals = sorted(problems, key=lambda p: (p.path[:1], p.line, p.column, p.code))
        return
    _apply(stored, root, to_write, options, result)


def _apply(
    stored: _Stored, root: Path, values: list[ReportValue], options: Options, result: FileResult
) -> None:
    """Write the new and changed values (unless a dry run) and take them in with the stored
    ones, so that the next file is checked against them."""
    if not values:
        return
    by_file: dict[tuple[int, str], list[ReportValue]] = defaultdict(list)
    for rv in values:
        by_file[(rv.fiscal_year, rv.agency)].append(rv)
    if not options.dry_run:
        writes = [prepare(root, year, agency, vs) for (year, agency), vs in sorted(by_file.items())]
        commit(writes)
        result.written = [w.path.relative_to(root).as_posix() for w in writes]
    for rv in values:
        rv.origin, rv.line = report_file(rv.fiscal_year, rv.agency), 0
        stored.put(rv)


def import_reports(
    root: Path,
    paths: list[Path],
    options: Options | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ImportResult:
    """Check and merge each workbook of ``paths`` into the data folder ``root``, one after the
    other; a file with any problem is refused whole. ``on_wait`` is told if another import
    holds the lock.

    The workbooks are read first (in parallel), then the plan and only the fiscal years' reports
    that the workbooks' values fall in are loaded and checked as validate checks them.
    """
    options = options or Options()
    now = options.now or datetime.now().astimezone().isoformat(timespec="seconds")
    check_data_folder(root, write=not options.dry_run)
    lock = nullcontext() if options.dry_run else import_lock(root, options.lock_timeout, on_wait)
    with lock:
        reads: list[_Read] = []

        def years(plan: Dataset) -> set[int]:
            """Read the workbooks against the plan; the fiscal years their values are for."""
            names = Names(plan)
            if options.agency and names.agency(options.agency) is None:
                raise UsageError(f"--agency {options.agency}: unknown agency")
            reads.extend(read_books(paths, lambda p, b: _read_one(names, p, b, options, now)))
            return {c.value.fiscal_year for r in reads for c in r.candidates}

        ds = load_checked(root, years)
        if not options.dry_run:
            for year in sorted({c.value.fiscal_year for r in reads for c in r.candidates}):
                _check_writable(root, root / REPORTS_DIR / str(year), "report files")
        stored = _Stored(ds.reports)
        # the stored values live to the end: keep the collector from walking them for every
        # workbook (measured: 6 % of importing 50 workbooks into a year of 184,000 values)
        gc.freeze()
        try:
            for read in reads:
                try:
                    _merge_one(ds, stored, root, read, options)
                except OSError as exc:  # the checks above passed, yet writing failed
                    merged = ", ".join(r.result.name for r in reads if r.result.written)
                    raise UsageError(
                        f"{exc.filename or root}: cannot write ({exc.strerror}); nothing of "
                        f"{read.result.name} was written"
                        + (f"; merged before it: {merged}" if merged else "")
                    ) from None
        finally:
            gc.unfreeze()
    return ImportResult([r.result for r in reads], options.dry_run)
