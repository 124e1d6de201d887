"""The look and the guards every workbook okrtool hands out shares: headers, input cells, checks.

A workbook made to be filled in (the report template, the workshop and binding sheets) is a
locked sheet whose cells to fill are unlocked, yellow and validated, with a hidden sheet that
records what it was made for, so that the importer can check where a file comes from; it is
saved through a temporary file beside its name. openpyxl is imported inside the functions.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from okrtool.io.cells import xlsx_text
from okrtool.io.report_sheet import META_SHEET

#: Cells to fill; header cells.
INPUT_COLOUR = "FFF2CC"
HEADER_COLOUR = "DDDDDD"
#: The error title every validated cell shows.
NOT_ACCEPTED = "ค่าไม่ถูกต้อง / Not accepted"


def validation(dv: Any, what: str, title: str) -> Any:
    """``dv`` (an openpyxl DataValidation) set to allow a blank, explain itself with ``what``
    (``ไทย / English``) as its prompt under ``title``, and refuse anything else with it."""
    th, _, en = what.partition(" / ")
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = NOT_ACCEPTED
    dv.error = f"กรอก{th} / Type {en or th}"
    dv.promptTitle = title
    dv.prompt = what
    return dv


def number_check(title: str, percent: bool = False) -> Any:
    """A validation for a number of 0 or more (0–100 for a percentage)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if percent:
        return validation(
            DataValidation(type="decimal", operator="between", formula1="0", formula2="100"),
            "ร้อยละ 0–100 / a percentage, 0–100",
            title,
        )
    return validation(
        DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        "ตัวเลข 0 ขึ้นไป / a number, 0 or more",
        title,
    )


def choice_check(title: str, choices: Iterable[str]) -> Any:
    """A validation for one of ``choices`` (a drop-down list)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    words = list(choices)
    listed = ",".join(words)
    return validation(
        DataValidation(type="list", formula1=f'"{listed}"'),
        f"ค่าใดค่าหนึ่งในรายการ ({listed}) / one of {', '.join(words)}",
        title,
    )


def text_check(title: str, max_length: int = 500) -> Any:
    """A validation for a text of at most ``max_length`` characters."""
    from openpyxl.worksheet.datavalidation import DataValidation

    return validation(
        DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(max_length)),
        f"ข้อความไม่เกิน {max_length} ตัวอักษร / a text of at most {max_length} characters",
        title,
    )


def add_checks(ws: Any, checks: Iterable[Any]) -> None:
    """Put on ``ws`` the validations that cover at least one cell."""
    for dv in checks:
        if dv.sqref:
            ws.add_data_validation(dv)


def header(ws: Any, row: int, columns: Iterable[tuple[str, int]], height: int = 32) -> None:
    """Header cells in ``row``: bold, wrapped, grey; each column its width."""
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor=HEADER_COLOUR)
    for col, (text, width) in enumerate(columns, 1):
        cell = ws.cell(row, col, text)
        cell.font, cell.alignment, cell.fill = bold, wrap, grey
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[row].height = height


def title(ws: Any, row: int, text: str, last_col: int, size: int = 14) -> None:
    """A title line across the sheet's columns."""
    from openpyxl.styles import Font

    xlsx_text(ws.cell(row, 1), text).font = Font(bold=True, size=size)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def label(
    ws: Any, row: int, col: int, text: str, value: Any, span: int = 1, label_span: int = 1
) -> Any:
    """A bold label (merged over ``label_span`` cells) and its value in the cell after it
    (merged over ``span`` cells); the value's cell."""
    from openpyxl.styles import Alignment, Font

    ws.cell(row, col, text).font = Font(bold=True)
    if label_span > 1:
        ws.merge_cells(
            start_row=row, start_column=col, end_row=row, end_column=col + label_span - 1
        )
    at = col + label_span
    cell = xlsx_text(ws.cell(row, at), value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if span > 1:
        ws.merge_cells(start_row=row, start_column=at, end_row=row, end_column=at + span - 1)
    return cell


def note(ws: Any, row: int, text: str, last_col: int) -> None:
    """An italic line across the sheet (what to fill in)."""
    from openpyxl.styles import Font

    xlsx_text(ws.cell(row, 1), text).font = Font(italic=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def cells(ws: Any, row: int, values: Iterable[Any]) -> None:
    """Values across ``row`` from column A, wrapped; texts never taken for formulas."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for col, value in enumerate(values, 1):
        xlsx_text(ws.cell(row, col), value).alignment = wrap


def to_fill(cell: Any) -> Any:
    """Make ``cell`` one to fill in: unlocked and yellow."""
    from openpyxl.styles import PatternFill, Protection

    cell.protection = Protection(locked=False)
    cell.fill = PatternFill("solid", fgColor=INPUT_COLOUR)
    return cell


def protect(ws: Any, landscape: bool = True) -> None:
    """Lock the sheet (its unlocked cells stay fillable); people may still widen columns and
    rows to read comfortably. Printed landscape, one page wide."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if landscape:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def lines_sheet(wb: Any, name: str, lines: Iterable[tuple[str, bool]], width: int = 120) -> Any:
    """A locked sheet of text lines (instructions): ``(text, bold)`` each."""
    from openpyxl.styles import Alignment, Font

    sheet = wb.create_sheet(name)
    sheet.column_dimensions["A"].width = width
    for r, (text, is_title) in enumerate(lines, 1):
        cell = xlsx_text(sheet.cell(r, 1), text)
        cell.alignment = Alignment(wrap_text=True)
        if is_title:
            cell.font = Font(bold=True)
    sheet.protection.sheet = True
    return sheet


def meta_sheet(wb: Any, record: Iterable[tuple[str, str]]) -> None:
    """The hidden, locked sheet recording what the workbook was made for (key, value rows)."""
    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(record, 1):
        meta.cell(r, 1, key)
        xlsx_text(meta.cell(r, 2), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def save(wb: Any, path: Path) -> None:
    """Save ``wb`` at ``path`` through a temporary file beside it: a failed write leaves what
    was there. The file gets the permissions a new file gets (shared, under the umask)."""
    path.parent.mkdir(exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        wb.save(temp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)  # mkstemp makes it 0600: the officer's copy is shared
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
