"""A project's note on the report template's Projects sheet is kept as the officer typed it (the
rule of free text, ``typed.free_text``): Thai digits and line breaks stay, the spaces around go;
a control character is refused at its cell; a note stored before this rule (Thai digits made
0–9, line breaks made spaces) is the same note, so re-importing that workbook changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from helpers import SHIPPED, copy_dataset, run, snapshot

PROJECTS = "reports/2567/projects/env.csv"
HEADER = "project,period,status,percent,note,file,sha256,cell,recorded_at"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path, SHIPPED)


def noted(root: Path, tmp_path: Path, note: str, folder: str = ".") -> Path:
    """Environment's June 2567 template: the food-waste project done, 100 %, with ``note``
    (made in ``folder`` of ``tmp_path``)."""
    (tmp_path / folder).mkdir(exist_ok=True)
    book = tmp_path / folder / "env-2567-06.xlsx"
    code, output = run(
        "report-template", "--data", str(root), "-a", "env", "-p", "2567-06", "-o", str(book)
    )
    assert code == 0, output
    wb = openpyxl.load_workbook(book)
    ws = wb["Projects"]
    assert ws["B14"].value == "env-waste-mai-te-ruam"
    ws["F14"], ws["G14"], ws["H14"] = "done", 100, note
    wb.save(book)
    return book


def import_(root: Path, book: Path) -> tuple[int, str]:
    return run("import-reports", "--data", str(root), str(book))


def without_provenance(text: str) -> str:
    """The file's text with each row's checksum and time of import taken out."""
    return re.sub(r",[0-9a-f]{64},(Projects!F14),[-0-9T:+]+\n", r",SHA,\1,AT\n", text)


def test_a_note_is_stored_as_typed(root: Path, tmp_path: Path) -> None:
    book = noted(root, tmp_path, "  ทำแล้ว ๕ จุด – รอบที่ ๒\nเหลือ ๓ จุด ")
    code, output = import_(root, book)
    assert code == 0, output
    text = (root / PROJECTS).read_text(encoding="utf-8")
    assert without_provenance(text) == (
        f"{HEADER}\n"
        'env-waste-mai-te-ruam,2567-06,done,100,"ทำแล้ว ๕ จุด – รอบที่ ๒\nเหลือ ๓ จุด",'
        "env-2567-06.xlsx,SHA,Projects!F14,AT\n"
    )
    assert "OK: 0 errors" in run("validate", str(root))[1]
    files = snapshot(root)
    code, output = import_(root, book)
    assert (code, output.splitlines()[-1]) == (
        0,
        "Merged 1 of 1 file: 0 added, 0 changed, 1 unchanged. Nothing to change: these values "
        "are stored already.",
    )
    assert snapshot(root) == files


def test_a_note_stored_by_the_old_rule_is_the_same_note(root: Path, tmp_path: Path) -> None:
    folder = root / "reports/2567/projects"
    folder.mkdir(parents=True)
    (folder / "env.csv").write_text(
        f"{HEADER}\n"
        "env-waste-mai-te-ruam,2567-06,done,100,ทำแล้ว 5 จุด - รอบที่ 2 เหลือ 3 จุด,"
        "env-2567-06.xlsx,,Projects!F14,2024-07-01T09:00:00+07:00\n",
        encoding="utf-8",
    )
    files = snapshot(root)
    book = noted(root, tmp_path, "ทำแล้ว ๕ จุด – รอบที่ ๒\nเหลือ ๓ จุด")
    code, output = import_(root, book)
    assert (code, output.splitlines()[-1]) == (
        0,
        "Merged 1 of 1 file: 0 added, 0 changed, 1 unchanged. Nothing to change: these values "
        "are stored already.",
    )
    assert snapshot(root) == files


def test_a_control_character_in_a_note_is_refused_at_its_cell(root: Path, tmp_path: Path) -> None:
    files = snapshot(root)
    book = noted(root, tmp_path, "ทำแล้ว_x001B_")  # Excel's way of saving ESC in a cell
    code, output = import_(root, book)
    assert code == 1
    lines = output.splitlines()
    at = lines.index(
        f"{book} › Projects!H14: E803 found the control character U+001B at character 7 of "
        "'ทำแล้ว\\x1b', expected text without control characters"
    )
    assert lines[at + 1] == (
        "    hint: retype the text in the cell: such a character comes with text copied from "
        "another program"
    )
    assert snapshot(root) == files


def test_a_note_alone_changed_is_named_in_the_refusal_and_the_change(
    root: Path, tmp_path: Path
) -> None:
    code, output = import_(root, noted(root, tmp_path, "ระยะที่ ๑"))
    assert code == 0, output
    files = snapshot(root)
    book = noted(root, tmp_path, "ระยะที่ ๒", "again")
    code, output = import_(root, book)
    assert code == 1
    assert output.splitlines()[1:3] == [
        f"{book} › Projects!F14: E805 project 'env-waste-mai-te-ruam' for 2567-06 is stored as "
        f"done 100 %, note 'ระยะที่ ๑' ({PROJECTS}); this file says done 100 %, note 'ระยะที่ ๒': "
        "done 100 %, note 'ระยะที่ ๑' → done 100 %, note 'ระยะที่ ๒'",
        "    hint: to change the stored report, import the file again with --replace",
    ]
    assert snapshot(root) == files
    code, output = run("import-reports", "--data", str(root), "--replace", str(book))
    assert code == 0, output
    assert (
        f"{book}: ~ env project env-waste-mai-te-ruam 2567-06: done 100 %, note 'ระยะที่ ๑' → "
        "done 100 %, note 'ระยะที่ ๒'"
    ) in output.splitlines()
