"""`okrtool status --since DAY -o FILE.xlsx`: the status sheet with each row's figures on the since
day and the change, number for number as the JSON's ``since`` objects; LibreOffice opens it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from office import soffice_or_skip, xlsx_to_pdf

from helpers import SHIPPED, run

SINCE = [
    "status",
    "--group",
    "quality-of-life",
    "--since",
    "2024-04-30",
    "--as-of",
    "2024-06-30",
    "--data",
    str(SHIPPED),
]


def write(tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "since.xlsx"
    code, out = run(*SINCE, "-o", str(path), *extra)
    assert (code, out) == (0, f"wrote {path}\n")
    return path


def columns(ws) -> tuple[int, dict[str, int]]:
    """The header row and each header's column (1-based)."""
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Key result")
    return head, {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}


def test_every_row_carries_its_figures_then_and_the_change(tmp_path: Path) -> None:
    code, out = run(*SINCE, "--format", "json", "--lang", "en")
    assert code == 0
    doc = json.loads(out)
    ws = openpyxl.load_workbook(write(tmp_path, "--lang", "en")).worksheets[0]
    head, col = columns(ws)
    # the printed page (issue 17): the change beside the figures now, signed with its unit;
    # the rest right of the print area
    assert list(col)[:9] == [
        "Key result",
        "Actual",
        "% of target",
        "Status",
        "% of target on 30 Apr 2024",
        "Change",
        "Change (points)",
        "Status moved",
        "Estimated",
    ]
    assert {"Id", "Policy", "Actual on 30 Apr 2024", "Status on 30 Apr 2024"} <= set(col)
    assert ws.print_area.endswith(f"!$A$1:$I${ws.max_row}")
    assert len(doc["rows"]) == 9
    for i, row in enumerate(doc["rows"]):
        r = head + 1 + i
        s = row["since"]
        assert ws.cell(r, col["Id"]).value == row["key_result"]
        assert [
            ws.cell(r, col[h]).value
            for h in (
                "Actual on 30 Apr 2024",
                "% of target on 30 Apr 2024",
                "Change",
                "Change (points)",
            )
        ] == [s["actual"], s["percent"], s["change"], s["change_points"]]
    # parks: 36 → 89 parks, behind → at risk
    parks = next(
        r
        for r in range(head + 1, head + 10)
        if ws.cell(r, col["Id"]).value == "env-parks-15min-opened"
    )
    assert [
        ws.cell(parks, col[h]).value
        for h in ("Actual on 30 Apr 2024", "Status on 30 Apr 2024", "Change", "Status moved")
    ] == [36, "behind", 53, "▲ behind → at risk"]
    change = ws.cell(parks, col["Change"]).number_format
    assert change == '"▲ +"#,##0" parks";"▼ -"#,##0" parks";0" parks"'


def test_changed_only_writes_the_rows_that_moved(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write(tmp_path, "--changed-only", "--lang", "en")).worksheets[0]
    head, col = columns(ws)
    ids = [
        ws.cell(r, col["Id"]).value
        for r in range(head + 1, head + 10)
        if ws.cell(r, col["Id"]).value
    ]
    code, out = run(*SINCE, "--changed-only", "--format", "json")
    assert code == 0
    assert ids == [row["key_result"] for row in json.loads(out)["rows"]]
    assert len(ids) == 5


def test_libreoffice_opens_the_since_workbook(tmp_path: Path) -> None:
    soffice_or_skip()
    assert xlsx_to_pdf(write(tmp_path), tmp_path / "pdf").read_bytes().startswith(b"%PDF")


def test_since_by_district_refuses_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    code, out = run(*SINCE, "--by", "district", "-o", str(path))
    assert (code, out) == (
        2,
        "okrtool: --since with --by district has no workbook yet: write it with -o FILE.md (or "
        ".csv, .json), or --since without --by as a workbook\n",
    )
    assert not path.exists()
