"""A report workbook's Projects sheet read as candidate project reports, refused cell by cell.

The sheet (``io.project_sheet``) is read, when the workbook has one, in the same reading of
the file as its report tables (``xlsx_tables.read_tables``, the one reader: .xlsx and .ods
alike; it checks the file's size, parts and macros, and gives saved values of formulas). Each
row gives a state, a percent complete and a note for one project; what the rows say is judged
by the rules of ``rules.projects`` (the ones validate runs), located at the cells. The percent
complete is read by ``typed.percent_points``, the one rule of a percent column (0.4 in a cell
with no % sign or format is refused: 0.4 % or 40 %?).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrtool.dataset import Dataset
from okrtool.fiscal import Period
from okrtool.imports.refusal import cell_refusal
from okrtool.imports.results import Change, FileResult
from okrtool.io.project_sheet import (
    NOTE,
    PERCENT,
    PROJECT,
    PROJECT_HEADERS,
    PROJECTS_SHEET,
    STATUS,
    state_of,
    state_words,
)
from okrtool.io.report_sheet import cell_ref, header_parts
from okrtool.io.xlsx_read import Sheet
from okrtool.model import ProjectReport
from okrtool.problems import ERROR, Problem
from okrtool.rules.projects import project_problems
from okrtool.typed import (
    CONTROL_HINT,
    AmbiguousPercent,
    TypedError,
    free_text,
    is_not_reported,
    normalize,
    percent_points,
    plain,
    shown,
)

#: The header of the projects table is looked for in this many rows from the top.
HEADER_ROWS = 20
#: Rows read below the header: far more projects than one agency owns.
MAX_PROJECT_ROWS = 5_000
#: A note longer than this is refused (as a value's note is).
MAX_NOTE_CHARS = 1000


@dataclass
class ProjectCandidate:
    """A project report read from a row, the cells it came from (by field) and its sheet."""

    report: ProjectReport
    cells: dict[str, str]
    sheet: str


def _header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """The header row's index in ``rows`` and field → column index, if a row names a project
    id and a status."""
    for i, cells in enumerate(rows):
        columns: dict[str, int] = {}
        for col, value in enumerate(cells):
            if not isinstance(value, str):
                continue
            for part in header_parts(value):
                for name, synonyms in PROJECT_HEADERS.items():
                    if part in synonyms and name not in columns:
                        columns[name] = col
        if PROJECT in columns and STATUS in columns:
            return i, columns
    return None


def _cell(cells: tuple[Any, ...], columns: dict[str, int], field: str, row: int) -> tuple[Any, str]:
    """The value and reference of ``field``'s cell in a row (None and "" without the column)."""
    col = columns.get(field)
    if col is None:
        return None, ""
    return (cells[col] if col < len(cells) else None), f"{_letter(col)}{row}"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)


@dataclass
class ProjectRows:
    """The Projects sheet's cells as read (``project_rows``): its rows of values from row 1,
    and the number format of each number, by (row index, column index); or, for a hidden
    sheet, none (``visible`` False)."""

    visible: bool
    rows: list[tuple[Any, ...]]
    formats: dict[tuple[int, int], str]


def project_rows(ws: Sheet) -> ProjectRows:
    """The cells of the Projects sheet ``ws``, read while its workbook is open (the report
    tables' reading runs it: ``xlsx_tables.read_tables``' ``also``)."""
    if not ws.visible:  # as a hidden report table: nobody sees what it holds
        return ProjectRows(False, [], {})
    formats: dict[tuple[int, int], str] = {}
    rows: list[tuple[Any, ...]] = []
    for number_, values in ws.rows():
        if number_ > HEADER_ROWS + MAX_PROJECT_ROWS:
            break
        r = number_ - 1
        for c, value in enumerate(values):
            if isinstance(value, int | float) and not isinstance(value, bool):
                formats[(r, c)] = ws.number_format(f"{_letter(c)}{number_}")
        rows.append(tuple(values))
    return ProjectRows(True, rows, formats)


def read_projects(
    sheet_rows: ProjectRows,
    path: Path,
    sha256: str,
    agency: str | None,
    period: Period | None,
    name: str,
    now: str,
) -> tuple[list[ProjectCandidate], list[Problem], list[str]]:
    """The rows of the Projects sheet of the workbook ``path`` (read as ``sha256``) as
    candidate project reports of ``agency`` for ``period``, the refusals, and what was passed
    over (a hidden sheet)."""
    if not sheet_rows.visible:
        return [], [], [f"hidden sheet '{PROJECTS_SHEET}' holds the projects: not read"]
    rows, formats = sheet_rows.rows, sheet_rows.formats
    found = _header(rows[:HEADER_ROWS])
    sheet = PROJECTS_SHEET
    if found is None:
        return (
            [],
            [
                Problem(
                    "E802",
                    name,
                    f"the {sheet} sheet has no projects table: no row in its first {HEADER_ROWS} "
                    "rows names a project id ('Project id' / 'รหัสโครงการ') and a status "
                    "('Status' / 'สถานะ')",
                    hint="use the template from okrtool report-template",
                    path=(sheet,),
                )
            ],
            [],
        )
    header, columns = found
    out: list[ProjectCandidate] = []
    problems: list[Problem] = []

    def refuse(ref: str, code: str, message: str, hint: str = "") -> None:
        problems.append(cell_refusal(name, sheet, ref, code, message, hint))

    for r in range(header + 1, len(rows)):
        cells = rows[r]
        number_ = r + 1

        (project_raw, project_ref), (status_raw, status_ref) = (
            _cell(cells, columns, PROJECT, number_),
            _cell(cells, columns, STATUS, number_),
        )
        (percent_raw, percent_ref), (note_raw, note_ref) = (
            _cell(cells, columns, PERCENT, number_),
            _cell(cells, columns, NOTE, number_),
        )
        if is_not_reported(status_raw) and is_not_reported(percent_raw):
            continue  # nothing reported on this row (a note alone is not a report)
        if is_not_reported(project_raw):
            refuse(
                project_ref,
                "E803",
                "found no project id beside the status or percent complete, expected the id of "
                "a project (like env-trees-nursery)",
            )
            continue
        project = normalize(str(project_raw))
        if is_not_reported(status_raw):
            refuse(
                status_ref,
                "E607",
                f"found no status beside the percent complete {shown(percent_raw)}, expected "
                f"one of {state_words()}",
                "choose the status from the drop-down",
            )
            continue
        state = state_of(str(status_raw))
        if state is None:
            refuse(
                status_ref,
                "E607",
                f"found the status {shown(status_raw)}, expected one of {state_words()}",
                "choose the status from the drop-down",
            )
            continue
        percent = None
        if not is_not_reported(percent_raw):
            fmt = formats.get((r, columns[PERCENT]), "General")
            try:
                percent = percent_points(percent_raw, fmt)
            except AmbiguousPercent as exc:
                refuse(
                    percent_ref,
                    "E608",
                    f"found {exc.found}, expected a percent complete from 0 to 100",
                    exc.hint,
                )
                continue
            except TypedError as exc:
                refuse(
                    percent_ref,
                    "E608",
                    f"found {exc.found}, expected a percent complete from 0 to 100 (like 40, "
                    "40 % or ๔๐)",
                )
                continue
        note = ""
        if not is_not_reported(note_raw):
            try:
                note = free_text(note_raw)  # as typed: Thai digits, line breaks kept
            except TypedError as exc:
                refuse(
                    note_ref, "E803", f"found {exc.found}, expected {exc.expected}", CONTROL_HINT
                )
                continue
            if len(note) > MAX_NOTE_CHARS:
                refuse(
                    note_ref,
                    "E803",
                    f"found a note of {len(note):,} characters, expected at most "
                    f"{MAX_NOTE_CHARS:,}",
                    "shorten the note: it is stored with the project's report",
                )
                continue
        if agency is None or period is None:
            refuse(
                project_ref,
                "E806",
                "found no agency or period for this project, expected the template's record "
                "of them or the Report sheet's 'หน่วยงาน / Agency:' and 'งวด / Period:' lines",
                "use the template from okrtool report-template, or pass --agency and --period",
            )
            continue
        refs = {PROJECT: project_ref, STATUS: status_ref, PERCENT: percent_ref or status_ref}
        report = ProjectReport(
            agency,
            period.fiscal_year,
            project,
            period,
            state,
            percent,
            note,
            path.name,
            sha256,
            cell_ref(sheet, status_ref),
            now,
            f"{name} › {sheet}",
            number_,
        )
        out.append(ProjectCandidate(report, refs, sheet))
    return out, problems, []


#: Which cell of a row a project rule's problem points at.
_CELL_OF_CODE = {"E605": PROJECT, "E606": PROJECT, "E609": PROJECT, "E607": STATUS}


class StoredProjects:
    """The stored project reports by (agency, project, period); files merged earlier in the
    same run are in it too."""

    def __init__(self, reports: list[ProjectReport]) -> None:
        self.by_key = {(pr.agency, pr.project, pr.period): pr for pr in reports}

    def get(self, pr: ProjectReport) -> ProjectReport | None:
        return self.by_key.get((pr.agency, pr.project, pr.period))

    def put(self, pr: ProjectReport) -> None:
        self.by_key[(pr.agency, pr.project, pr.period)] = pr


def _note(text: str) -> str:
    return f"note {shown(text)}" if text else "no note"


def _shown(pr: ProjectReport) -> str:
    percent = "" if pr.percent is None else f" {plain(pr.percent)} %"
    return f"{pr.status}{percent}"


def merge_projects(
    ds: Dataset,
    stored: StoredProjects,
    name: str,
    candidates: list[ProjectCandidate],
    replace: bool,
    result: FileResult,
) -> tuple[list[ProjectReport], list[Problem]]:
    """The rules of validate over a workbook's project reports, located at their cells, and
    each one beside the stored report it would replace (E805 unless ``replace``); the reports
    to write, and the refusals. Changes go into ``result`` as values' do (``project ID``)."""
    problems: list[Problem] = []
    by_row = {(c.report.origin, c.report.line): c for c in candidates}
    for p in project_problems(ds, [c.report for c in candidates]):
        if p.severity != ERROR:
            continue
        found = by_row[(p.file, p.line)]
        ref = found.cells[_CELL_OF_CODE.get(p.code, PERCENT)]
        problems.append(cell_refusal(name, found.sheet, ref, p.code, p.message, p.hint))
    to_write = []
    for c in candidates:
        pr = c.report
        old = stored.get(pr)
        change = Change(
            pr.agency, f"project {pr.project}", str(pr.period), None, _shown(pr), pr.cell
        )
        if old is None:
            result.added.append(change)
            to_write.append(pr)
            continue
        change.old = _shown(old)
        # a note stored before notes were kept as typed (Thai digits made 0–9, line breaks
        # made spaces) is the same note: re-importing that workbook changes nothing
        if change.old == change.new and normalize(old.note) == normalize(pr.note):
            result.unchanged.append(change)
            continue
        if change.old == change.new:  # only the note differs: say so
            change.old += f", {_note(old.note)}"
            change.new += f", {_note(pr.note)}"
        if replace:
            result.changed.append(change)
            to_write.append(pr)
        else:
            from okrtool.io.projectcsv import project_file

            problems.append(
                cell_refusal(
                    name,
                    c.sheet,
                    c.cells[STATUS],
                    "E805",
                    f"project '{pr.project}' for {pr.period} is stored as {change.old} "
                    f"({project_file(old.fiscal_year, old.agency)}); this file says "
                    f"{change.new}: {change.old} → {change.new}",
                    "to change the stored report, import the file again with --replace",
                )
            )
    return to_write, problems
