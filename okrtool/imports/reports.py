"""`okrtool import-reports`: report workbooks in, checked and merged into data/reports/.

The process: take the import lock, load the plan, read the workbooks against it
(``imports.rows``; in one process a core, ``parallel.Shared``) and, as they come, put
each file's values beside the stored ones of the fiscal years they fall in (loaded and checked
as validate checks them) and run the report rules of ``rules/`` — the ones ``okrtool
validate`` runs — over the merged values. A value that differs from one already stored is a
conflict unless ``replace``. A file with any problem is refused whole and nothing of it is
written; the files without are written by ``io.store`` once every file has been checked.

Beside it: ``imports.paths`` (the command line's files and the data folder, checked first),
``imports.names`` (what a cell names), ``imports.rows`` (a workbook's rows as candidate values),
``imports.refusal`` (a refusal located at a cell: ``FILE › SHEET!CELL``), ``imports.results``
(what was done, file by file). Functions return results; none prints.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Set
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from okrtool.dataset import REPORTS_DIR, Dataset
from okrtool.errors import UsageError
from okrtool.fiscal import Period
from okrtool.imports.names import Names
from okrtool.imports.paths import check_data_folder, check_writable, outside_data
from okrtool.imports.projects import StoredProjects, merge_projects
from okrtool.imports.refusal import cell_refusal
from okrtool.imports.results import Change, FileResult, ImportResult
from okrtool.imports.rows import Candidate, Read, read_book, read_one
from okrtool.io.loaddata import collector_off, load_dataset, read_reports
from okrtool.io.parallel import Shared
from okrtool.io.projectcsv import merged_text, project_file
from okrtool.io.report_sheet import KEY_RESULT, PERIOD, VALUE
from okrtool.io.store import (
    LOCK_TIMEOUT,
    PendingWrite,
    commit,
    import_lock,
    prepare,
    report_file,
)
from okrtool.model import ProjectReport, ReportValue
from okrtool.problems import ERROR, Problem
from okrtool.progress.filters import parse_period_option, resolve
from okrtool.rules.report_values import report_values
from okrtool.rules.validate import check_loaded, load_valid, refuse_errors
from okrtool.typed import plain, shown

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


class _Stored:
    """The stored values, by agency and then (key result, period): what each file is merged
    with. Files merged earlier in the same run are in it too."""

    def __init__(self, reports: list[ReportValue], projects: list[ProjectReport]) -> None:
        self.by_agency: dict[str, dict[tuple[str, Period], ReportValue]] = defaultdict(dict)
        self.projects = StoredProjects([])
        self.add(reports, projects)
        #: where a value merged earlier in this run came from (``FILE › SHEET!CELL``)
        self.merged_from: dict[tuple[str, str, Period], str] = {}

    def add(self, reports: list[ReportValue], projects: list[ProjectReport]) -> None:
        """Take in stored values and project reports, each in place of one it replaces."""
        by_agency = self.by_agency
        for rv in reports:  # a year of a city is 260,000 values: no call a value
            by_agency[rv.agency][(rv.key_result, rv.period)] = rv
        for pr in projects:
            self.projects.put(pr)

    def get(self, rv: ReportValue) -> ReportValue | None:
        """The stored value ``rv`` would replace, if any."""
        return self.by_agency.get(rv.agency, {}).get((rv.key_result, rv.period))

    def put(self, rv: ReportValue) -> None:
        """Take ``rv`` in, in place of the stored value it replaces."""
        self.by_agency[rv.agency][(rv.key_result, rv.period)] = rv

    def take_in(self, values: list[ReportValue], projects: list[ProjectReport]) -> None:
        """Take in the values and project reports of a workbook merged (the report file they
        go to as where they are), so that the next workbook is checked against them."""
        for rv in values:
            rv.origin, rv.line = report_file(rv.fiscal_year, rv.agency), 0
            self.put(rv)
        for pr in projects:
            pr.origin, pr.line = project_file(pr.fiscal_year, pr.agency), 0
            self.projects.put(pr)

    def beside(self, values: list[ReportValue], cumulative: Set[str]) -> list[ReportValue]:
        """The stored values of the agencies and fiscal years of ``values`` that ``values`` do
        not replace and that the report rules compare them with, then ``values``: the merged
        reports the rules check. The stored values hold together (validate found no error), so
        of a key result's values of an agency and year only the first is needed (E603: by
        month or by quarter, as it is), and all of them for a ``cumulative`` key result (E604:
        a running total that goes down); they are the same values, in the same order, as the
        rules found them among all the stored ones (measured: a third of the rules' time)."""
        keys = {(rv.agency, rv.key_result, rv.period) for rv in values}
        years = {rv.fiscal_year for rv in values}  # other years' values cannot clash with these
        out = []
        firsts: set[tuple[int, str]] = set()
        for agency in sorted({rv.agency for rv in values}):
            firsts.clear()
            for key, rv in self.by_agency.get(agency, {}).items():
                if rv.fiscal_year not in years or (agency, *key) in keys:
                    continue
                series = (rv.fiscal_year, key[0])
                if series not in firsts or key[0] in cumulative:
                    firsts.add(series)
                    out.append(rv)
        return out + values


def _rule_problems(
    ds: Dataset, stored: _Stored, name: str, candidates: list[Candidate]
) -> list[Problem]:
    """The report rules of validate over the stored values of the agencies in the file, with the
    file's values in place of the stored ones they would replace; their problems, located."""
    view = copy.copy(ds)
    cumulative = {kr_id for kr_id, kr in ds.key_results.items() if kr.measure == "cumulative"}
    view.reports = stored.beside([c.value for c in candidates], cumulative)
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
        out.append(cell_refusal(name, found.sheet, ref, p.code, p.message, hint))
    return out


def _merge_one(ds: Dataset, stored: _Stored, read: Read, options: Options, writer: _Writer) -> None:
    """Check one workbook's values and project reports beside the stored ones (and those of
    the workbooks merged before it) and take them in, to be written by ``writer``; or refuse
    it whole."""
    result, candidates, problems = read.result, read.candidates, read.problems
    if result.refused:  # not readable at all
        return
    name = result.name
    problems += _rule_problems(ds, stored, name, candidates)
    projects = [c.report for c in read.project_candidates]
    result.agencies = sorted({c.value.agency for c in candidates} | {p.agency for p in projects})
    result.periods = sorted(
        {str(c.value.period) for c in candidates} | {str(p.period) for p in projects}
    )
    projects_to_write, project_problems = merge_projects(
        ds, stored.projects, name, read.project_candidates, options.replace, result
    )
    problems += project_problems
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
        earlier = stored.merged_from.get((rv.agency, rv.key_result, rv.period))
        if change.old == change.new:
            result.unchanged.append(change)
        elif earlier is not None:  # two files of one import disagree: --replace cannot choose
            problems.append(
                cell_refusal(
                    name,
                    c.sheet,
                    c.cells[VALUE],
                    "E805",
                    f"'{rv.key_result}' for {rv.period} is {shown(old.value)} in {earlier}, "
                    f"merged earlier in this import; this file says {shown(rv.value)}",
                    "import the one of the two files that is right (two versions of one "
                    "report?); --replace does not choose between files of one import",
                )
            )
        elif options.replace:
            result.changed.append(change)
            to_write.append(rv)
        else:
            problems.append(
                cell_refusal(
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
    writer.add(result, to_write, projects_to_write)
    stored.take_in(to_write, projects_to_write)
    for c in candidates:
        rv = c.value
        stored.merged_from[(rv.agency, rv.key_result, rv.period)] = (
            f"{name} › {c.sheet}!{c.cells[VALUE]}"
        )


class _Writer:
    """The files of the workbooks merged, written in their order once every workbook has been
    checked: each workbook's files in one commit (``store.commit``). A file's new text is made
    as soon as its workbook is merged (while the other workbooks are still being read),
    unless an earlier workbook of this import writes the same file: then just before it is
    written, from what that one wrote."""

    def __init__(self, root: Path, dry_run: bool) -> None:
        self.root, self.dry_run = root, dry_run
        self.pending: list[tuple[FileResult, Callable[[], list[PendingWrite]]]] = []
        self.touched: set[Path] = set()

    def add(
        self, result: FileResult, values: list[ReportValue], projects: list[ProjectReport]
    ) -> None:
        """Take in a merged workbook's new and changed values and project reports."""
        if self.dry_run or not (values or projects):
            return
        root = self.root
        by_file: dict[tuple[int, str], list[ReportValue]] = defaultdict(list)
        for rv in values:
            by_file[(rv.fiscal_year, rv.agency)].append(rv)
        by_project_file: dict[tuple[int, str], list[ProjectReport]] = defaultdict(list)
        for pr in projects:
            by_project_file[(pr.fiscal_year, pr.agency)].append(pr)

        def texts() -> list[PendingWrite]:
            writes = [prepare(root, y, a, vs) for (y, a), vs in sorted(by_file.items())]
            return writes + [
                PendingWrite(root / project_file(y, a), merged_text(root, y, a, prs), root)
                for (y, a), prs in sorted(by_project_file.items())
            ]

        paths = {root / report_file(y, a) for y, a in by_file}
        paths |= {root / project_file(y, a) for y, a in by_project_file}
        if paths & self.touched:
            self.pending.append((result, texts))
        else:
            made = texts()
            self.pending.append((result, lambda: made))
        self.touched |= paths

    def write(self) -> None:
        """Write each merged workbook's files, in order."""
        for result, texts in self.pending:
            try:
                writes = texts()
                commit(writes)
            except OSError as exc:  # the checks passed, yet writing failed
                merged = ", ".join(r.name for r, _ in self.pending if r.written)
                raise UsageError(
                    f"{exc.filename or self.root}: cannot write ({exc.strerror}); nothing of "
                    f"{result.name} was written"
                    + (f"; merged before it: {merged}" if merged else "")
                ) from None
            result.written = [w.path.relative_to(self.root).as_posix() for w in writes]


def _years(reads: list[Read]) -> set[int]:
    """The fiscal years the values and project reports of ``reads`` are for."""
    return {c.value.fiscal_year for r in reads for c in r.candidates} | {
        c.report.fiscal_year for r in reads for c in r.project_candidates
    }


def merge_all(
    ds: Dataset, problems: list[Problem], shared: Shared[Path, Read], options: Options
) -> list[Read]:
    """Check and merge each workbook that ``shared`` reads, in order, into the plan ``ds``
    (loaded with ``problems``); write what was merged (unless a dry run); the reads.

    The stored reports of the fiscal years the first workbook's values fall in are loaded and
    checked as validate checks them (OkrtoolError if the data folder has an error) while the
    next workbooks are being read; each workbook is merged as soon as it is read, and nothing
    is written before every workbook has been read and merged (measured on two cores, 50
    district workbooks into a year of 163,520 values, in-process: 2.2 s one step after the
    other, 1.2 s side by side). A workbook for a year not loaded yet has that year loaded and
    the whole data folder checked again, before it is merged.
    """
    root = ds.root
    writer = _Writer(root, options.dry_run)
    reads: list[Read] = []
    stored: _Stored | None = None
    loaded: set[int] = set()
    merged = 0  # reads[:merged] are merged
    for i in range(len(shared.items)):
        read = shared.get(i)
        reads.append(read)
        wanted = _years([read]) - loaded
        if stored is None and not wanted and i < len(shared.items) - 1:
            continue  # no year named yet (a workbook refused whole): merged once one is
        if not options.dry_run:
            for year in sorted(wanted):
                check_writable(root, root / REPORTS_DIR / str(year), "report files")
        if stored is None:
            problems += read_reports(ds, wanted)
            refuse_errors(root, check_loaded(ds, problems))
            stored = _Stored(ds.reports, ds.project_reports)
        elif wanted:  # rare: read and check the data folder with that year too
            again = load_valid(root, lambda _plan, w=loaded | wanted: w)
            stored.add(
                [rv for rv in again.reports if rv.fiscal_year in wanted],
                [pr for pr in again.project_reports if pr.fiscal_year in wanted],
            )
        loaded |= wanted
        for waiting in reads[merged:]:
            try:
                _merge_one(ds, stored, waiting, options, writer)
            except OSError as exc:  # a report file that validate read cannot be read again
                raise UsageError(
                    f"{exc.filename or root}: cannot read ({exc.strerror}); nothing was written"
                ) from None
        merged = len(reads)
    writer.write()
    return reads


def import_reports(
    root: Path,
    paths: list[Path],
    options: Options | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ImportResult:
    """Check and merge each workbook of ``paths`` into the data folder ``root``, one after the
    other; a file with any problem is refused whole. ``on_wait`` is told if another import
    holds the lock.

    The plan is loaded, then the workbooks read against it, in one process a core
    (``parallel.Shared``), and merged as they come (``merge_all``).
    """
    options = options or Options()
    if options.period:  # read now, though a workbook that names its period would not use it
        parse_period_option(options.period)
    now = options.now or datetime.now().astimezone().isoformat(timespec="seconds")
    check_data_folder(root, write=not options.dry_run)
    outside_data(paths, root)
    lock = nullcontext() if options.dry_run else import_lock(root, options.lock_timeout, on_wait)
    with lock:
        ds, problems = load_dataset(root, reports=False)
        names = Names(ds)
        agency = options.agency and (
            names.agency(options.agency) or resolve("agency", options.agency, ds.agencies)
        )

        def read(path: Path) -> Read:
            return read_one(names, path, read_book(path), agency, options.period, now)

        # the values read and stored live to the end: the collector would only walk them
        # (measured: 6 % of importing 50 workbooks into a year of 184,000 values)
        with collector_off(), Shared(read, paths) as shared:
            reads = merge_all(ds, problems, shared, options)
    return ImportResult([r.result for r in reads], options.dry_run)
