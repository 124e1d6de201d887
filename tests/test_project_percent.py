"""The percent complete of the report template's Projects sheet follows one rule
(``typed.percent_points``): a % sign or a percentage format says the number is a percentage; a
plain number is percentage points, as the column asks (0–100); a plain number between 0 and 1
may be a fraction (0.4 for 40 %) as much as 0.4 %, and is refused at its cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from okrtool.io.project_sheet import PROJECTS_SHEET

from helpers import SHIPPED, copy_dataset, run, snapshot

PROJECT = "env-parks-15min-build-2567"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path, SHIPPED)


def template(root: Path, tmp_path: Path, percent: object, number_format: str | None) -> Path:
    """env's June report template, its project env-parks-15min-build-2567 (row 7) in progress
    with ``percent`` typed in a cell of ``number_format`` (None: as the template left it)."""
    path = tmp_path / "env-2567-06.xlsx"
    code, output = run(
        "report-template", "--data", str(root), "-a", "env", "-p", "2567-06", "-o", str(path)
    )
    assert code == 0, output
    wb = openpyxl.load_workbook(path)
    ws = wb[PROJECTS_SHEET]
    assert ws["B7"].value == PROJECT
    assert ws["G7"].number_format == "General"  # what the template writes
    ws["F7"] = "กำลังดำเนินการ / in progress"
    ws["G7"] = percent
    if number_format is not None:
        ws["G7"].number_format = number_format
    wb.save(path)
    return path


def stored(root: Path) -> list[str]:
    """The stored reports of env's projects: (project, period, state, percent)."""
    lines = (root / "reports/2567/projects/env.csv").read_text(encoding="utf-8").splitlines()
    return [",".join(line.split(",")[:4]) for line in lines[1:]]


@pytest.mark.parametrize(
    ("percent", "number_format", "read"),
    [
        (40, None, "40"),
        (0.4, "0%", "40"),
        (0.4, "0.0%", "40"),
        ("40%", None, "40"),
        ("40 %", None, "40"),
        ("๔๐", None, "40"),
        ("๔๐%", None, "40"),
        ("๕๗.๐๕ %", None, "57.05"),
        ("0.4%", None, "0.4"),  # less than 1 %, said with the sign
        (0.004, "0.0%", "0.4"),  # what Excel keeps of 0.4% typed in a cell
        (0, None, "0"),
        (1, None, "1"),
        (100, None, "100"),
        (40, '0" %"', "40"),  # a % sign in quotes is shown, not a percentage format
    ],
    ids=[
        "40 in a General cell",
        "0.4 in a 0% cell",
        "0.4 in a 0.0% cell",
        "'40%' typed as text",
        "'40 %' typed as text",
        "Thai digits",
        "Thai digits and %",
        "Thai digits with decimals",
        "'0.4%' typed as text",
        "0.4% typed into Excel",
        "0 in a General cell",
        "1 in a General cell",
        "100 in a General cell",
        '40 in a 0" %" cell',
    ],
)
def test_a_percent_complete_is_read_as_percentage_points(
    root: Path, tmp_path: Path, percent: object, number_format: str | None, read: str
) -> None:
    book = template(root, tmp_path, percent, number_format)
    code, output = run("import-reports", "--data", str(root), str(book))
    assert code == 0, output
    assert stored(root) == [f"{PROJECT},2567-06,in-progress,{read}"]


HINT = "type 40 for 40 %; for less than 1 %, type it with the sign: 0.4%"


@pytest.mark.parametrize(
    ("percent", "message", "hint"),
    [
        (0.4, "found 0.4 in a cell not formatted as a percentage (0.4 % or 40 %?)", HINT),
        ("0.4", "found '0.4' in a cell not formatted as a percentage (0.4 % or 40 %?)", HINT),
        ("๐.๔", "found '๐.๔' in a cell not formatted as a percentage (0.4 % or 40 %?)", HINT),
        (
            0.575,
            "found 0.575 in a cell not formatted as a percentage (0.575 % or 57.5 %?)",
            "type 57.5 for 57.5 %; for less than 1 %, type it with the sign: 0.575%",
        ),
    ],
    ids=["0.4 in a General cell", "'0.4' as text", "Thai digits", "0.575"],
)
def test_a_fraction_in_a_general_cell_is_refused_at_its_cell(
    root: Path, tmp_path: Path, percent: object, message: str, hint: str
) -> None:
    book = template(root, tmp_path, percent, None)
    before = snapshot(root)
    code, output = run("import-reports", "--data", str(root), str(book))
    assert code == 1
    assert output.splitlines()[:3] == [
        f"REFUSED {book} — nothing of it was written:",
        f"{book} › Projects!G7: E608 {message}, expected a percent complete from 0 to 100",
        f"    hint: {hint}",
    ]
    assert snapshot(root) == before
