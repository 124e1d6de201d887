"""Project report files: ``data/reports/<FY>/projects/<agency>.csv``, read and written.

One file an agency and fiscal year, beside its value file, holding what the agency reported on
each of its projects each period (``PROJECT_REPORT_COLUMNS``). Read into ``Dataset
.project_reports``; written whole by ``prepare_projects`` (rows sorted by project then period,
rows an import does not touch keep their text) and put in place by ``store.commit`` with the
value files of the same import, so that a workbook's values and projects land together or not.
"""

from __future__ import annotations

import csv
import io
import operator
from pathlib import Path

from okrtool.dataset import PROJECTS_DIR, REPORTS_DIR, Dataset
from okrtool.errors import OkrtoolError
from okrtool.fiscal import PeriodError, check_fiscal_year, parse_period
from okrtool.io.cells import csv_read, csv_text
from okrtool.io.load import YamlError, read_text
from okrtool.model import PROJECT_REPORT_COLUMNS, ProjectReport
from okrtool.problems import Problem
from okrtool.typed import plain


def project_file(fiscal_year: int, agency: str) -> str:
    """The project report file of an agency and fiscal year, relative to the data folder."""
    return f"{REPORTS_DIR}/{fiscal_year}/{PROJECTS_DIR}/{agency}.csv"


def is_project_file(root: Path, path: Path) -> bool:
    """True for ``reports/<FY>/projects/<agency>.csv`` of the data folder ``root``."""
    parts = path.relative_to(root).parts
    return len(parts) == 4 and parts[0] == REPORTS_DIR and parts[2] == PROJECTS_DIR


def project_row(pr: ProjectReport) -> list[str]:
    """A project report as the row of a project report file, in column order."""
    return [
        pr.project,
        str(pr.period),
        pr.status,
        "" if pr.percent is None else plain(pr.percent),
        pr.note,
        pr.file,
        pr.sha256,
        pr.cell,
        pr.recorded_at,
    ]


def _rows(path: Path, rel: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """The rows after the header with the line each starts on; E106/E107 for what is wrong."""
    try:
        text = read_text(path)
    except (OSError, YamlError) as exc:
        msg = exc.message if isinstance(exc, YamlError) else f"cannot read the file: {exc}"
        problems.append(Problem("E106", rel, msg, 1, 1))
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if header is None or tuple(header) != PROJECT_REPORT_COLUMNS:
            found = "nothing" if header is None else repr(",".join(header))
            problems.append(
                Problem(
                    "E107",
                    rel,
                    f"header is {found}; expected {','.join(PROJECT_REPORT_COLUMNS)!r}",
                    1,
                    1,
                )
            )
            return []
        start = 2
        for row in reader:
            out.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem("E107", rel, f"malformed CSV: {exc}", reader.line_num, 1))
    return out


def read_project_file(ds: Dataset, path: Path, problems: list[Problem]) -> None:
    """Append the project reports of ``path`` to ``ds.project_reports``; note the problems
    (the rules of ``rules.projects`` judge what the rows say)."""
    rel = path.relative_to(ds.root).as_posix()
    try:
        fiscal_year = check_fiscal_year(int(path.parent.parent.name))
    except (ValueError, PeriodError):
        problems.append(
            Problem(
                "E501",
                rel,
                f"folder {path.parent.parent.name!r} is not a year; project report files live "
                "in data/reports/<BE fiscal year>/projects/<agency>.csv",
                1,
                1,
            )
        )
        return
    ds.report_file_agency[rel] = path.stem
    width = len(PROJECT_REPORT_COLUMNS)
    for line, row in _rows(path, rel, problems):
        if not row:
            continue
        if len(row) != width:
            problems.append(
                Problem("E107", rel, f"row has {len(row)} columns; expected {width}", line, 1)
            )
            continue
        project, period_text, status, percent_text, note, file, sha, cell, at = row
        try:
            period = parse_period(period_text)
        except PeriodError as exc:
            problems.append(Problem("E501", rel, str(exc), line, len(project) + 2))
            continue
        percent: float | None = None
        if percent_text:
            try:
                percent = float(percent_text)
            except ValueError:
                problems.append(
                    Problem(
                        "E103",
                        rel,
                        f"percent {percent_text!r} is not a plain number; expected digits with "
                        "'.' as the decimal point, like 57.5, or nothing",
                        line,
                        len(project) + len(period_text) + len(status) + 4,
                    )
                )
                continue
        ds.project_reports.append(
            ProjectReport(
                path.stem,
                fiscal_year,
                project,
                period,
                status,
                percent,
                csv_read(note),
                csv_read(file),
                sha,
                cell,
                at,
                rel,
                line,
            )
        )


_sort_key = operator.itemgetter(0, 1)  # project, then period


def render_projects(rows: list[list[str]]) -> str:
    """The text of a project report file holding ``rows``: header, rows sorted by project and
    period, ``\\n`` line ends, formula-like texts escaped (``cells.csv_text``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PROJECT_REPORT_COLUMNS)
    writer.writerows([csv_text(c) for c in row] for row in sorted(rows, key=_sort_key))
    return out.getvalue()


def merged_text(root: Path, fiscal_year: int, agency: str, reports: list[ProjectReport]) -> str:
    """The project report file of ``agency`` with ``reports`` put in: each replaces the row of
    its project and period, or is added; every other row keeps its text."""
    path = root / project_file(fiscal_year, agency)
    rows: dict[tuple[str, str], list[str]] = {}
    if path.exists():
        problems: list[Problem] = []
        for _, row in _rows(path, path.relative_to(root).as_posix(), problems):
            if row:
                rows[(row[0], row[1])] = row
        if problems:
            raise OkrtoolError(
                f"{root}: cannot rewrite a project report file: {problems[0].file}: "
                f"{problems[0].message}; run 'okrtool validate {root}'"
            )
    for pr in reports:
        rows[(pr.project, str(pr.period))] = project_row(pr)
    return render_projects(list(rows.values()))
