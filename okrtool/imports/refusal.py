"""A refusal's place and wording: a Problem at a workbook cell, ``FILE › SHEET!CELL``.

``path`` is ``(sheet, cell)``; ``refusal_text`` adds the hint on the line below.
"""

from __future__ import annotations

import re

from okrtool.problems import Problem


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


def cell_refusal(
    name: str, sheet: str, ref: str, code: str, message: str, hint: str = ""
) -> Problem:
    """A refusal of the workbook ``name`` at the cell ``ref`` of ``sheet`` (its row and column
    as the line and column)."""
    row = int(re.sub(r"\D", "", ref) or 0)
    column = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(re.sub(r"\d", "", ref))))
    return Problem(code, name, message, row, column, hint=hint, path=(sheet, ref))
