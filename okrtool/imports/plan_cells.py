"""Reading the cells of a plan workbook: free text as written, amounts, ids and choices as typed.

One rule for each kind of cell. Free text — a title, an objective, the title of the OKR an agency
binds — is kept as the officer wrote it (``typed.free_text``: trimmed, line ends as "\\n", Thai
digits left as they are). What is counted or matched — an amount, an id, a unit, a choice from a
list — is read as people type it (``typed.normalize`` and ``typed.number``: Thai digits,
commas, %, every kind of space). Every cell that cannot be taken becomes a refusal located at
the cell; ``imports.plan_apply`` writes what is taken.
"""

from __future__ import annotations

from okrtool.imports.plan_read import PlanCell, PlanRow
from okrtool.imports.refusal import cell_refusal
from okrtool.model import PERCENT
from okrtool.problems import Problem
from okrtool.typed import (
    CONTROL_HINT,
    TypedError,
    free_text,
    is_not_reported,
    normalize,
    number,
    plain,
    shown,
)


class CellReader:
    """Reading one workbook's cells, collecting its refusals (``problems``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def refuse(self, sheet: str, cell: PlanCell, code: str, message: str, hint: str = "") -> None:
        self.problems.append(cell_refusal(self.name, sheet, cell.ref, code, message, hint))

    def text(self, sheet: str, row: PlanRow, key: str, required: bool, what: str) -> str | None:
        """An id, a unit or a choice as typed (``normalize``); None for a blank cell, refused
        if ``required``."""
        cell = row.cells[key]
        if is_not_reported(cell.value):
            if required:
                self.refuse(sheet, cell, "E803", f"found {shown(cell.value)}, expected {what}")
            return None
        raw = cell.value
        return plain(float(raw)) if isinstance(raw, int | float) else normalize(str(raw))

    def free(self, sheet: str, cell: PlanCell, required: bool, what: str) -> str | None:
        """Free text as written (``free_text``); None for a blank cell (refused if ``required``)
        or one holding a control character (refused)."""
        if is_not_reported(cell.value):
            if required:
                self.refuse(sheet, cell, "E803", f"found {shown(cell.value)}, expected {what}")
            return None
        try:
            return free_text(cell.value)
        except TypedError as exc:
            self.refuse(
                sheet,
                cell,
                "E803",
                f"found {exc.found}, expected {what}: {exc.expected}",
                CONTROL_HINT,
            )
            return None

    def amount(self, sheet: str, cell: PlanCell, unit: str, required: bool) -> float | None:
        """A number of ``unit``, 0 or more, as typed (Thai digits, commas; % only of a
        percentage); None for a blank cell (refused if ``required``) or a refused one."""
        if is_not_reported(cell.value):
            if required:
                self.refuse(
                    sheet, cell, "E803", f"found {shown(cell.value)}, expected a number of {unit}"
                )
            return None
        try:
            typed = number(cell.value, cell.number_format, units=(unit,))
        except TypedError as exc:
            self.refuse(sheet, cell, "E803", f"found {exc.found}, expected {exc.expected}")
            return None
        if typed.percent and unit != PERCENT:  # as import-reports: 50 % of what?
            self.refuse(
                sheet,
                cell,
                "E803",
                f"found {plain(typed.value)}% (a percentage), expected a number of {unit}",
                "type the number itself; if the cell shows %, format it as Number",
            )
            return None
        if typed.value < 0:
            self.refuse(
                sheet, cell, "E405", f"found {plain(typed.value)}, expected 0 or more {unit}"
            )
            return None
        return typed.value

    def choice(
        self, sheet: str, row: PlanRow, key: str, choices: tuple[str, ...], required: bool
    ) -> str | None:
        """One of ``choices`` (any case); None for a blank cell or a refused one."""
        value = self.text(sheet, row, key, required, f"one of {', '.join(choices)}")
        if value is not None and value.lower() not in choices:
            self.refuse(
                sheet,
                row.cells[key],
                "E803",
                f"found {shown(row.cells[key].value)}, expected one of {', '.join(choices)}",
            )
            return None
        return value.lower() if value is not None else None
