"""A report workbook's rows read as candidate values, each row refused cell by cell.

What each cell names and holds is read by ``typed.py``; the import reads workbooks in one
process a core (``imports.reports.merge_all``); nothing here looks at the stored values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from okrtool.errors import UsageError
from okrtool.fiscal import Period
from okrtool.imports.names import Names
from okrtool.imports.projects import ProjectCandidate, project_rows, read_projects
from okrtool.imports.refusal import cell_refusal
from okrtool.imports.results import FileResult
from okrtool.io.project_sheet import PROJECTS_SHEET
from okrtool.io.report_sheet import (
    AGENCY,
    HEADER_SCAN_ROWS,
    HEADERS,
    KEY_RESULT,
    NOTE,
    PERIOD,
    REQUIRED,
    VALUE,
    cell_ref,
)
from okrtool.io.xlsx_guard import WorkbookError
from okrtool.io.xlsx_tables import Cell, Table, TableBook, Vocabulary, read_tables
from okrtool.model import KeyResult, ReportValue
from okrtool.problems import Problem
from okrtool.typed import (
    CONTROL_HINT,
    AmbiguousPercent,
    TypedError,
    as_percent_points,
    free_text,
    is_not_reported,
    number,
    period_of,
    plain,
    shown,
)

#: A note longer than this is refused: it is stored beside the value in the report file.
MAX_NOTE_CHARS = 1000

#: What a report table is headed with, for the workbook reader (``xlsx_tables``).
REPORT_TABLE = Vocabulary(
    name="report table",
    headers=HEADERS,
    required=REQUIRED,
    labels=(AGENCY, PERIOD),
    missing="no report table found: no row in the first "
    f"{HEADER_SCAN_ROWS} rows of a visible sheet has both a key result header "
    "('Key result id' / 'รหัสผลลัพธ์หลัก') and a value header ('Value' / 'ผลการดำเนินงาน')",
    hint="use the template from okrtool report-template, or head the columns of a sheet "
    "with those names",
    free_text=(NOTE,),
)


@dataclass
class Candidate:
    """A value read from a row, the cells it came from (by field) and its sheet."""

    value: ReportValue
    cells: dict[str, str]  # field → cell reference
    sheet: str


class _Defaults:
    """The agency and period a table's rows take when they have no cell of their own."""

    def __init__(self) -> None:
        self.agency: str | None = None
        self.period: Period | None = None


def _table_defaults(
    names: Names,
    wb_meta: dict[str, str],
    table: Table,
    path: Path,
    name: str,
    agency_option: str | None,
    period_option: str | None,
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
                cell_refusal(
                    name,
                    table.sheet,
                    label.ref,
                    "E202",
                    f"found the agency {shown(label.value)}, expected an agency id or name "
                    "(like bang-rak or บางรัก)",
                )
            )
    if out.agency is None and agency_option:
        out.agency = names.agency(agency_option)
    if out.agency is None and not problems:
        out.agency = names.agency_from_file_name(path)
    if agency_option and out.agency and names.agency(agency_option) not in (None, out.agency):
        problems.append(
            Problem(
                "E806",
                name,
                f"the workbook is for '{out.agency}', but --agency says '{agency_option}'",
                hint="leave out --agency, or import the other agency's workbook",
            )
        )
    for source, raw, ref in (
        ("label", label_value(table, PERIOD), table.labels.get(PERIOD)),
        ("meta", wb_meta.get("period"), None),
        ("option", period_option, None),
    ):
        if raw is None or out.period is not None:
            continue
        try:
            out.period = period_of(raw, fiscal_year)
        except TypedError as exc:
            if source == "option":
                raise UsageError(f"--period {raw}: {exc}") from None
            if ref is not None:
                problems.append(cell_refusal(name, table.sheet, ref.ref, "E501", str(exc)))
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
) -> tuple[list[Candidate], list[Problem]]:
    ds = names.ds
    candidates: list[Candidate] = []
    problems: list[Problem] = []
    sheet = table.sheet
    fiscal_year = defaults.period.fiscal_year if defaults.period else None

    def refuse(cell: Cell, code: str, message: str, hint: str = "") -> None:
        problems.append(cell_refusal(name, sheet, cell.ref, code, message, hint))

    #: each period typed, read once: the rows of a table share one Period (a table's rows are
    #: mostly of one period; shared, they are sent back from a reading process once)
    periods: dict[tuple[type, object], Period] = {}

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
            raw = period_cell.value
            when = periods.get((type(raw), raw))
            if when is None:
                try:
                    when = periods[(type(raw), raw)] = period_of(raw, fiscal_year)
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
            if kr is not None and kr.is_percent:  # 0.57 typed plainly: 0.57 % or 57 %?
                as_percent_points(value_cell.value, typed)
        except AmbiguousPercent as exc:
            refuse(value_cell, "E803", f"found {exc.found}, expected {exc.expected}", exc.hint)
            continue
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
            try:  # as typed (Thai digits, line breaks), as a project's note is
                note = free_text(note_cell.value)
            except TypedError as exc:
                refuse(
                    note_cell, "E803", f"found {exc.found}, expected {exc.expected}", CONTROL_HINT
                )
                continue
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
        candidates.append(Candidate(rv, refs, sheet))
    return candidates, problems


def read_book(path: Path) -> Book:
    """The report tables of the workbook ``path`` (``xlsx_tables.read_tables``), or the
    WorkbookError saying why it could not be read."""
    try:
        return read_tables(path, REPORT_TABLE, also={PROJECTS_SHEET: project_rows})
    except WorkbookError as exc:
        return exc


Book = TableBook | WorkbookError


@dataclass
class Read:
    """One workbook's rows read as candidate values, before they are checked and merged."""

    path: Path
    result: FileResult
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: the Projects sheet's rows (``imports.projects``), if the workbook has one
    project_candidates: list[ProjectCandidate] = field(default_factory=list)


def read_one(
    names: Names, path: Path, book: Book, agency: str | None, period: str | None, now: str
) -> Read:
    """The rows of one workbook as candidate values, and what is wrong with them by themselves
    (runs in a reader process: its result is pickled back whole). ``agency`` and ``period``
    (--agency, --period) are used where the workbook does not say."""
    name = str(path)
    read = Read(path, FileResult(name))
    if isinstance(book, WorkbookError):
        read.result.refusals.append(Problem(book.code, name, book.message, hint=book.hint))
        return read
    read.result.notes = list(book.notes)
    first: _Defaults | None = None
    for table in book.tables:
        defaults, table_problems = _table_defaults(
            names, book.meta, table, path, name, agency, period
        )
        first = first or defaults
        read.problems += table_problems
        found, row_problems = _read_rows(
            names, table, defaults, name, path, book.sha256, now, read.result
        )
        read.candidates += found
        read.problems += row_problems
    sheet_rows = book.also.get(PROJECTS_SHEET)
    if sheet_rows is not None and first is not None:
        found_projects, project_problems, passed_over = read_projects(
            sheet_rows, path, book.sha256, first.agency, first.period, name, now
        )
        read.project_candidates = found_projects
        read.problems += project_problems
        read.result.notes += passed_over
    if not read.candidates and not read.project_candidates and not read.problems:
        read.problems.append(
            Problem(
                "E802",
                name,
                "found no value to import: every value cell is blank or '-'",
                hint="fill in the Value column (ผลการดำเนินงาน) and send the file again",
            )
        )
    return read
