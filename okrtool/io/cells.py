"""Text that okrtool writes into a spreadsheet-readable file is never run as a formula.

A spreadsheet program takes a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some programs, a tab or a carriage return) for a formula: ``=HYPERLINK(...)`` or
``+cmd|' /C calc'!A0`` in a note, an agency name or a policy title would run on the computer
of whoever opens the file. Every writer of a CSV or an .xlsx escapes its text cells here, as
the OWASP advice on CSV injection says, and leaves real numbers (``-5``, ``+1.5e3``) alone:

- CSV (``csv_text``): a single quote before the text, ``'=HYPERLINK(...)``; spreadsheet
  programs show the text and do not run it. okrtool reads its own report files back through
  ``csv_read``, which takes the quote off, so escaping twice or reading back changes nothing.
- .xlsx (``xlsx_text``): the text is stored as text (openpyxl would store ``=…`` as a formula)
  and marked "quote prefix", Excel's own mark for text typed after a ``'``: it shows as typed
  and stays text when edited.
"""

from __future__ import annotations

import re
from typing import Any

#: What a text cell must not start with (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
#: Control characters an .xlsx cannot hold (XML 1.0); a YAML title can ("\x01" in quotes).
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    """True for a text a spreadsheet program could run as a formula (not a plain number)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def csv_text(value: Any) -> Any:
    """A CSV cell's value, a text that looks like a formula escaped with a leading quote;
    numbers and other texts as they are."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_read(text: str) -> str:
    """The text ``csv_text`` escaped, as it was: ``csv_read(csv_text(t)) == t``."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def xlsx_text(cell: Any, value: Any) -> Any:
    """Put ``value`` in the openpyxl ``cell``: a text that looks like a formula is stored as
    text with Excel's quote-prefix mark, never as a formula; a control character that an .xlsx
    cannot hold is shown as U+FFFD (openpyxl would raise). Returns the cell."""
    if isinstance(value, str):
        value = _NOT_IN_XLSX.sub("\ufffd", value)
    cell.value = value
    if isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
