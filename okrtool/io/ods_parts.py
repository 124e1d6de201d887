"""What an OpenDocument spreadsheet (.ods) says in its content.xml that calamine does not tell:
which cells are percentages (57 % is stored as 0.57), formulas with no saved result, merged
ranges, protected sheets, and how far each sheet's filled cells reach (repeats included).

One streaming pass over content.xml (``iterparse``; each row is cleared once read).
"""

from __future__ import annotations

import io
from xml.etree.ElementTree import iterparse

from okrtool.io.xlsx_parts import SheetXml, column_letter

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
T_TABLE, T_ROW = f"{_TABLE}table", f"{_TABLE}table-row"
T_CELL, T_COVERED = f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"
_NAME, _PROTECTED = f"{_TABLE}name", f"{_TABLE}protected"
_ROWS_REPEATED, _COLS_REPEATED = f"{_TABLE}number-rows-repeated", f"{_TABLE}number-columns-repeated"
_ROWS_SPANNED, _COLS_SPANNED = f"{_TABLE}number-rows-spanned", f"{_TABLE}number-columns-spanned"
_FORMULA, _VALUE_TYPE = f"{_TABLE}formula", f"{_OFFICE}value-type"
#: The number format given to a percentage cell (what matters is its '%').
PERCENT = "0%"
#: Positions of one repeated percentage cell recorded at most (a sheet past this is too large).
_MAX_REPEAT_RECORDED = 10_000


def scan_ods(content: bytes) -> dict[str, SheetXml]:
    """Sheet name → what its part of ``content.xml`` says beyond the values (the text of a
    formula with no saved result as written, less its ``of:`` prefix: ``=SUM([.A1:.A2])``)."""
    sheets: dict[str, SheetXml] = {}
    sheet: SheetXml | None = None
    row = col = 0
    rows_here = 1
    max_row = max_col = 0
    for event, el in iterparse(io.BytesIO(content), events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == T_TABLE:
                sheet = SheetXml(None, el.get(_PROTECTED) == "true")
                sheets[el.get(_NAME, "")] = sheet
                row = max_row = max_col = 0
            elif tag == T_ROW:
                rows_here = int(el.get(_ROWS_REPEATED, "1"))
                col = 0
            continue
        if sheet is None:
            continue
        if tag in (T_CELL, T_COVERED):
            repeat = int(el.get(_COLS_REPEATED, "1"))
            kind = el.get(_VALUE_TYPE)
            formula = el.get(_FORMULA)
            if tag == T_CELL and (kind is not None or formula is not None or len(el)):
                max_row = max(max_row, row + rows_here)
                max_col = max(max_col, col + repeat)
                if repeat * rows_here <= _MAX_REPEAT_RECORDED:
                    refs = [
                        f"{column_letter(c)}{r}"
                        for r in range(row + 1, row + rows_here + 1)
                        for c in range(col + 1, col + repeat + 1)
                    ]
                    if kind == "percentage":
                        sheet.formats.update(dict.fromkeys(refs, PERCENT))
                    if formula is not None and kind is None:  # no saved result
                        text = formula.removeprefix("of:")
                        sheet.unsaved_formulas.update(refs)
                        sheet.formula_texts.update(dict.fromkeys(refs, text))
                    spans = (int(el.get(_ROWS_SPANNED, "1")), int(el.get(_COLS_SPANNED, "1")))
                    if spans != (1, 1):
                        last = f"{column_letter(col + spans[1])}{row + spans[0]}"
                        sheet.merged.append(f"{refs[0]}:{last}")
                if formula is not None:
                    sheet.has_formulas = True
            col += repeat
            el.clear()
        elif tag == T_ROW:
            row += rows_here
            el.clear()
        elif tag == T_TABLE:
            sheet.extent = (max_row, max_col)
            sheet = None
    return sheets
