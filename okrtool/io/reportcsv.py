"""The report CSV reader: ``ReportCsv`` and ``read_report_file`` (values into the Dataset).

``ReportCsv`` is the one reader of report files, for validate, the importer and the store.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from okrtool.dataset import Dataset
from okrtool.fiscal import Period, PeriodError, check_fiscal_year, parse_period
from okrtool.io.cells import csv_read
from okrtool.io.load import YamlError, read_text
from okrtool.model import REPORT_COLUMNS, REPORT_SOURCES, ReportValue
from okrtool.problems import Problem
from okrtool.typed import LARGEST, SENSIBLE, SMALLEST, is_sensible

_SOURCES = frozenset(REPORT_SOURCES)
#: A value as a report file holds it (docs/data-format.md): digits, "." as the decimal point,
#: a "-" before, nothing else (what ``typed.plain`` writes, and what other programs read)
plain_decimal = re.compile(r"-?(?:\d+\.?\d*|\.\d+)", re.ASCII).fullmatch
assert len(REPORT_COLUMNS) == 9, "read_report_file unpacks the nine columns by name"


@lru_cache(maxsize=4096)
def _period(text: str) -> Period:
    return parse_period(text)


#: How to save a report file as UTF-8 (Excel's plain "CSV" is the Windows code page: TIS-620
#: on a Thai Windows).
_SAVE_AS_UTF8 = (
    "in Excel: File › Save As › CSV UTF-8 (Comma delimited); in LibreOffice: Save As › Text CSV, "
    "character set Unicode (UTF-8)"
)
#: A delimiter other than ',' that a spreadsheet program may save a "CSV" with, and its name.
_OTHER_DELIMITERS = {";": "';'", "\t": "tabs"}


class ReportCsv:
    """The rows of one report file as text: the one reader of report files, for validate, the
    importer and the store (``store.prepare``), so that what validate accepts the importer can
    rewrite. UTF-8 with or without a BOM (Excel's "CSV UTF-8"), any line ends, ``,`` between
    columns, ``"`` around a text holding one, the header ``REPORT_COLUMNS``. What is wrong is
    appended to ``problems``, located: a quote that is never closed at the line and column where
    it opens (the csv module notices it only at the end of the file).

    Iterate for the rows after the header; or, where every row counts (validate reads millions),
    loop over ``rows`` and call ``fault`` on a csv.Error (``read_report_file``)."""

    def __init__(self, path: Path, rel: str, problems: list[Problem]) -> None:
        self.rel = rel
        self.problems = problems
        #: the rows after the header: a csv reader (``line_num``: the line the last row read
        #: ends on), empty if the file cannot be read; call ``fault`` on a csv.Error
        self.rows: Any = iter(())
        self._text = ""
        self._lines: list[str] | None = None
        try:
            text = read_text(path)
        except (OSError, YamlError) as exc:
            msg = exc.message if isinstance(exc, YamlError) else f"cannot read the file: {exc}"
            line, column = (exc.line, exc.column) if isinstance(exc, YamlError) else (1, 1)
            hint = _SAVE_AS_UTF8 if "not UTF-8" in msg else ""
            problems.append(Problem("E106", rel, msg, line, column, hint=hint))
            return
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            problems.append(
                Problem("E107", rel, "the file holds a NUL byte; is it a CSV file?", line, 1)
            )
            return
        self._text = text
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            self.rows = reader
            self.fault(exc, 1)
            self.rows = iter(())
            return
        if header is None:
            # okrtool always writes the header: an empty file is one cut short (a copy or a
            # save that failed), and its values would be missing without a word
            problems.append(
                Problem(
                    "E107",
                    rel,
                    f"the file is empty; expected the header {','.join(REPORT_COLUMNS)!r} and "
                    "the agency's values",
                    1,
                    1,
                    hint="restore it from git (git checkout -- FILE), or delete it if the agency "
                    "has no values",
                )
            )
            return
        if tuple(header) != REPORT_COLUMNS:
            joined = ",".join(header)
            other = next((d for d in _OTHER_DELIMITERS if d in joined and "," not in joined), "")
            hint = (
                f"the columns are separated by {_OTHER_DELIMITERS[other]}: save the file as "
                "CSV UTF-8 (comma delimited)"
                if other
                else ""
            )
            problems.append(
                Problem(
                    "E107",
                    rel,
                    f"header is {joined!r}; expected {','.join(REPORT_COLUMNS)!r}",
                    1,
                    1,
                    hint=hint,
                )
            )
            return
        self.rows = reader

    def __iter__(self) -> Iterator[list[str]]:
        rows = self.rows
        last = 1  # the line the last row read ends on
        while True:
            try:
                for row in rows:
                    yield row
                    last = rows.line_num
                return
            except csv.Error as exc:
                if self.fault(exc, last + 1):
                    return  # the rest of the file is inside the open quote

    @staticmethod
    def start_of(row: list[str], end: int) -> int:
        """The line a row ending on line ``end`` starts on (a quoted text may hold line breaks,
        counted as the csv module counts lines)."""
        breaks = sum(f.count("\n") + f.count("\r") - f.count("\r\n") for f in row)
        return end - breaks

    def fault(self, exc: csv.Error, start: int) -> bool:
        """Note the CSV error ``exc`` met reading ``rows`` in the row starting at line
        ``start``, where it is; True if a quote opened there is never closed (nothing after it
        can be read: stop)."""
        line = self.rows.line_num
        if self._lines is None:
            self._lines = io.StringIO(self._text, newline="").readlines()
        lines = self._lines
        where, what = _csv_fault(lines, start)
        if what == "open":
            self.problems.append(
                Problem(
                    "E107",
                    self.rel,
                    "a quote '\"' opens a text here and is never closed, so the rest of the file "
                    "would be read as one text; expected a closing '\"'",
                    *where,
                    hint="close the quote, or remove it (a text needs quotes only if it holds "
                    "',' or '\"'; a '\"' inside quotes is written twice: \"\")",
                )
            )
            return True
        if what == "after":
            line, column = where
            found = lines[line - 1][column - 1]
            self.problems.append(
                Problem(
                    "E107",
                    self.rel,
                    f"found {found!r} right after the closing quote of a text; expected ',' or "
                    "the end of the line",
                    line,
                    column,
                    hint='a \'"\' inside a quoted text is written twice: ""',
                )
            )
            return False
        self.problems.append(Problem("E107", self.rel, f"malformed CSV: {exc}", line, 1))
        return False


def _csv_fault(lines: list[str], start: int) -> tuple[tuple[int, int], str]:
    """Where the CSV rows from line ``start`` on go wrong: ``(line, column), 'open'`` for a
    quote never closed, ``'after'`` for a character right after a closing quote, else
    ``'other'``."""
    opened = (start, 1)
    quoted = closed = False
    field_start = True
    for number, text in enumerate(lines[start - 1 :], start):
        i = 0
        while i < len(text):
            ch = text[i]
            if quoted:
                if ch == '"':
                    if text[i + 1 : i + 2] == '"':
                        i += 2
                        continue
                    quoted, closed = False, True
            elif closed:
                if ch not in ",\r\n":
                    return (number, i + 1), "after"
                closed = False
            elif ch == '"' and field_start:
                quoted, opened = True, (number, i + 1)
            field_start = not quoted and ch in ",\r\n"
            i += 1
    return opened, "open" if quoted else "other"


def read_report_file(ds: Dataset, path: Path, problems: list[Problem]) -> None:
    """Append the values of the report file ``path`` to ``ds.reports``; note the problems."""
    rel = path.relative_to(ds.root).as_posix()
    year_text = path.parent.name
    agency = path.stem
    try:
        fiscal_year = check_fiscal_year(int(year_text))
    except (ValueError, PeriodError) as exc:
        detail = str(exc) if isinstance(exc, PeriodError) else f"folder {year_text!r} is not a year"
        problems.append(
            Problem(
                "E501",
                rel,
                f"{detail}; report files live in data/reports/<BE fiscal year>/<agency>.csv",
                1,
                1,
            )
        )
        return
    ds.report_file_agency[rel] = agency
    csv_file = ReportCsv(path, rel, problems)
    rows = csv_file.rows
    line = 1  # the line the last row read ends on
    width = len(REPORT_COLUMNS)
    append = ds.reports.append
    make = ReportValue
    period_of = _period
    isfinite = math.isfinite
    sensible = is_sensible
    # one copy of each repeated text (ids, sources, provenance): 750 → 270 bytes a value
    same = {}.setdefault
    while True:  # the loop of ReportCsv.__iter__, inline: a generator costs every row
        try:
            for row in rows:
                line = rows.line_num
                try:
                    kr, period_text, value_text, source, note, file, sha, cell, at = row
                except ValueError:
                    if row:
                        start = csv_file.start_of(row, line)
                        spans = (
                            f" (it runs on to line {line}: is a quote '\"' not closed?)"
                            if start != line
                            else ""
                        )
                        problems.append(
                            Problem(
                                "E107",
                                rel,
                                f"row has {len(row)} columns; expected {width}{spans}",
                                start,
                                1,
                            )
                        )
                    continue
                try:
                    period = period_of(period_text)
                except PeriodError as exc:
                    problems.append(Problem("E501", rel, str(exc), line, len(kr) + 2))
                    continue
                try:
                    value = float(value_text)
                except ValueError:
                    value = math.nan
                # float() takes more than a plain decimal: "1_000", " 5", "๕", "1e3"
                if not (value_text.isascii() and value_text.isdigit()) and not plain_decimal(
                    value_text
                ):
                    value = math.nan
                # import-reports' rule, typed.is_sensible (nan and inf are not sensible either);
                # a value between SMALLEST and LARGEST is, and passes without the call (a city
                # year is 260,000 values)
                if not SMALLEST <= abs(value) < LARGEST and not sensible(value):
                    problems.append(
                        Problem(
                            "E103",
                            rel,
                            f"value {value_text!r} is not a plain number; expected digits with '.' "
                            "as the decimal point, like 1234.5"
                            if not isfinite(value)
                            else f"value {value_text!r} is out of range; expected {SENSIBLE}",
                            line,
                            len(kr) + len(period_text) + 3,
                        )
                    )
                    continue
                if source not in _SOURCES:
                    problems.append(
                        Problem(
                            "E103",
                            rel,
                            f"source {source!r} is not a source; expected one of "
                            + ", ".join(REPORT_SOURCES),
                            line,
                            len(kr) + len(period_text) + len(value_text) + 4,
                        )
                    )
                    continue
                if "'" in (
                    note[:1],
                    file[:1],
                ):  # written escaped by cells.csv_text (a cell reference
                    note, file = csv_read(note), csv_read(file)  # never is: a sheet name is quoted)
                append(
                    make(
                        agency,
                        fiscal_year,
                        same(kr, kr),
                        period,
                        value,
                        same(source, source),
                        same(note, note),
                        same(file, file),
                        same(sha, sha),
                        cell,
                        same(at, at),
                        rel,
                        line,
                    )
                )
            break
        except csv.Error as exc:
            if csv_file.fault(exc, line + 1):
                break
